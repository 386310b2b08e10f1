using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Sub2Api.Billing;
using Sub2Api.Configuration;

namespace Sub2Api.Relay;

/// <summary>
/// Step 6: copies the upstream's answer to the client. SSE is forwarded line by line as it arrives and flushed
/// at every event boundary — never buffered — while the provider's <see cref="IResponseTranslator"/> reads usage from the
/// same bytes (and rewrites lines where the client speaks another format). The first event — and any that follow while
/// the translator calls them preamble — is held back until complete: if it is an error event, nothing has reached the
/// client and the relay can still fail over. A silent upstream is cut after the idle timeout. When the client
/// disconnects, its user slot is released at once and the upstream is read to its end — cut only by the same idle
/// timeout — so what it produced is billed; the account slot stays held by the caller until then, because the
/// account is still at work.
/// </summary>
internal sealed partial class ResponseRelay(IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<ResponseRelay> logger)
{
    /// <summary>
    /// The idle bound of a departed client's drain when <see cref="GatewayOptions.StreamDataIntervalTimeout"/> is off
    /// (0): nobody is left to give up on a silent upstream, so the gateway does.
    /// </summary>
    public const int DisconnectDrainSeconds = 300;

    /// <param name="releaseClientSlot">Frees the user's slot when the client leaves mid-answer.</param>
    public Task<RelayOutcome> RelayAsync(ClientChannel client, UpstreamAttempt attempt, RelayRequest request,
        Func<ValueTask> releaseClientSlot)
    {
        var response = attempt.Response!;
        var isSse = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        var translator = request.Provider.CreateTranslator(request, attempt.Body);
        return request.Stream && isSse
            ? RelayStreamAsync(client, response, request, translator, releaseClientSlot)
            : RelayJsonAsync(client, response, request, translator, isSse);
    }

    private async Task<RelayOutcome> RelayJsonAsync(ClientChannel client, HttpResponseMessage response, RelayRequest request,
        IResponseTranslator translator, bool upstreamStreamed)
    {
        byte[] body;
        try
        {
            // Never the client's token: the upstream has done the work, so its answer is read and billed even when
            // nobody is left to receive it.
            body = await ReadBodyAsync(response, IdleSeconds(clientGone: false));
        }
        catch (OperationCanceledException)
        {
            Log.JsonTimeout(logger, request.RequestId, IdleSeconds(clientGone: false));
            return RelayOutcome.FailedOver(UpstreamFailure.Timeout);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            Log.JsonBroke(logger, request.RequestId, e.GetType().Name);
            return RelayOutcome.FailedOver(UpstreamFailure.NetworkError);
        }
        var answer = translator.TranslateJson(body, upstreamStreamed);
        if (answer.Failed)
        {
            // The upstream's answer was a failure in a success status (e.g. a collected stream that ended in an error
            // event); nothing reached the client, so another account may still serve.
            Log.AnswerFailed(logger, request.RequestId);
            return RelayOutcome.FailedOver(UpstreamFailure.StreamError);
        }
        var usage = answer.Usage;
        body = answer.Body;
        var http = client.Context.Response;
        var firstTokenMs = (int)time.GetElapsedTime(request.StartTimestamp).TotalMilliseconds;
        if (client.SseStarted)
        {
            // Pings already committed an SSE response while we waited; deliver the JSON message in-band.
            await client.WriteErrorAsync(200, "api_error", "upstream answered without streaming");
            return new RelayOutcome(false, UpstreamFailure.None, usage, firstTokenMs, client.ClientGone, true);
        }
        http.StatusCode = (int)response.StatusCode;
        http.ContentType = answer.ContentType ?? response.Content.Headers.ContentType?.ToString() ?? "application/json";
        http.Headers["x-request-id"] = request.RequestId;
        // A known length (not chunked): the client has the whole answer with this write, not only when the
        // handler returns after recording usage.
        http.ContentLength = body.Length;
        try
        {
            await http.Body.WriteAsync(body, client.Context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return new RelayOutcome(false, UpstreamFailure.None, usage, firstTokenMs, true, true);
        }
        return new RelayOutcome(false, UpstreamFailure.None, usage, firstTokenMs, false, true);
    }

    private async Task<RelayOutcome> RelayStreamAsync(ClientChannel client, HttpResponseMessage response, RelayRequest request,
        IResponseTranslator translator, Func<ValueTask> releaseClientSlot)
    {
        var idleSeconds = IdleSeconds(clientGone: false);
        using var idle = new CancellationTokenSource();
        await using var upstream = await response.Content.ReadAsStreamAsync(CancellationToken.None);
        // Zero-byte reads: an idle stream waits for data without holding a buffer, so thousands of open,
        // quiet streams cost little memory (YARP's StreamCopier does the same).
        var reader = PipeReader.Create(upstream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, useZeroByteReads: true));
        var held = new ArrayBufferWriter<byte>(1024); // the first event(s), until we know they are not an error
        ArrayBufferWriter<byte>? discarded = null; // what the translator writes once nobody is left to read it
        var committed = false;
        var ended = false;
        var clientGone = false;
        int? firstTokenMs = null;
        var clientBody = client.Context.Response.BodyWriter;

        try
        {
            while (true)
            {
                if (idleSeconds > 0)
                {
                    idle.CancelAfter(TimeSpan.FromSeconds(idleSeconds));
                }
                ReadResult read;
                try
                {
                    read = await reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested)
                {
                    Log.StreamTimeout(logger, request.RequestId, idleSeconds);
                    if (!committed)
                    {
                        return RelayOutcome.FailedOver(UpstreamFailure.Timeout);
                    }
                    if (!clientGone)
                    {
                        await client.WriteErrorAsync(504, "stream_timeout", $"Upstream sent no data for {idleSeconds} seconds");
                    }
                    break;
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    if (!committed)
                    {
                        return RelayOutcome.FailedOver(UpstreamFailure.NetworkError);
                    }
                    Log.UpstreamBroke(logger, request.RequestId, e.GetType().Name);
                    if (!clientGone)
                    {
                        await client.WriteErrorAsync(502, "upstream_error", "Upstream connection closed unexpectedly");
                    }
                    break;
                }

                var buffer = read.Buffer;
                var eventBoundary = false;
                while (TryReadLine(ref buffer, out var rawLine))
                {
                    var line = TrimEnd(rawLine);
                    IBufferWriter<byte> target = clientGone ? Discard(ref discarded) : committed ? clientBody : held;
                    if (translator.OnLine(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), target) && !clientGone)
                    {
                        foreach (var segment in rawLine)
                        {
                            target.Write(segment.Span);
                        }
                    }
                    if (firstTokenMs is null && translator.SawFirstData)
                    {
                        firstTokenMs = (int)time.GetElapsedTime(request.StartTimestamp).TotalMilliseconds;
                    }
                    if (line.IsEmpty)
                    {
                        eventBoundary = true;
                        if (!committed)
                        {
                            if (translator.SawErrorEvent)
                            {
                                Log.StreamErrorFirst(logger, request.RequestId);
                                return RelayOutcome.FailedOver(UpstreamFailure.StreamError);
                            }
                            if (translator.InPreamble)
                            {
                                continue; // nothing the client would miss yet: keep holding
                            }
                            committed = true;
                            if (clientGone || !await TryStartSseAsync(client))
                            {
                                // The client left before the first event: nothing to answer, but the upstream is
                                // producing (and charging us) all the same — drain and bill it like any departure.
                                if (!clientGone)
                                {
                                    clientGone = true;
                                    idleSeconds = await OnClientGoneAsync(request, releaseClientSlot);
                                }
                            }
                            else
                            {
                                clientBody.Write(held.WrittenSpan);
                            }
                        }
                    }
                }
                if (read.IsCompleted && !buffer.IsEmpty)
                {
                    // The upstream ended without a final line end: that last line still counts (usage may be on it)
                    // and reaches the client as it was sent.
                    var last = TrimEnd(buffer, hasLineEnd: false);
                    IBufferWriter<byte> target = clientGone ? Discard(ref discarded) : committed ? clientBody : held;
                    if (translator.OnLine(last.IsSingleSegment ? last.FirstSpan : last.ToArray(), target) && !clientGone)
                    {
                        foreach (var segment in buffer)
                        {
                            target.Write(segment.Span);
                        }
                    }
                    buffer = buffer.Slice(buffer.End);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);

                if (committed && eventBoundary && !clientGone)
                {
                    clientGone = !await FlushAsync(clientBody, client);
                    if (clientGone)
                    {
                        idleSeconds = await OnClientGoneAsync(request, releaseClientSlot);
                    }
                }
                else if (!clientGone && client.ClientGone)
                {
                    clientGone = true;
                    idleSeconds = await OnClientGoneAsync(request, releaseClientSlot);
                }
                if (read.IsCompleted)
                {
                    ended = true;
                    break;
                }
            }
            if (!committed && held.WrittenCount > 0 && !clientGone)
            {
                // The upstream ended inside its first event: deliver what there was.
                if (await TryStartSseAsync(client))
                {
                    clientBody.Write(held.WrittenSpan);
                }
                else
                {
                    clientGone = true;
                }
            }
            if (ended && !clientGone)
            {
                translator.Complete(clientBody);
            }
            if (!clientGone)
            {
                await FlushAsync(clientBody, client);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
        return new RelayOutcome(false, UpstreamFailure.None, translator.Usage, firstTokenMs, clientGone, true);
    }

    /// <summary>Frees the client's slot and returns the idle bound of the drain that follows.</summary>
    private async Task<int> OnClientGoneAsync(RelayRequest request, Func<ValueTask> releaseClientSlot)
    {
        Log.ClientGone(logger, request.RequestId);
        await releaseClientSlot();
        return IdleSeconds(clientGone: true);
    }

    /// <summary>
    /// How long the upstream may stay silent between two reads. The same bound whether the client is still there or
    /// not, so a departed client's request is read exactly as far as a present one's would be.
    /// </summary>
    private int IdleSeconds(bool clientGone)
    {
        var seconds = options.CurrentValue.StreamDataIntervalTimeout;
        return seconds <= 0 && clientGone ? DisconnectDrainSeconds : seconds;
    }

    /// <summary>
    /// The whole body, with at most <paramref name="idleSeconds"/> of silence between two reads (0: no bound). An
    /// announced length is read straight into one array of that size (the usual case: one allocation, as
    /// ReadAsByteArrayAsync did); a body without one grows a buffer.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, int idleSeconds)
    {
        using var idle = new CancellationTokenSource();
        await using var stream = await response.Content.ReadAsStreamAsync(CancellationToken.None);
        if (response.Content.Headers.ContentLength is { } length and >= 0 and < 1 << 26)
        {
            var exact = new byte[length];
            for (var total = 0; total < exact.Length;)
            {
                var read = await ReadAsync(stream, exact.AsMemory(total), idle, idleSeconds);
                if (read == 0)
                {
                    throw new IOException("the upstream body ended before its announced length");
                }
                total += read;
            }
            return exact;
        }
        var body = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var read = await ReadAsync(stream, body.GetMemory(8 * 1024), idle, idleSeconds);
            if (read == 0)
            {
                return body.WrittenSpan.ToArray();
            }
            body.Advance(read);
        }
    }

    private static ValueTask<int> ReadAsync(Stream stream, Memory<byte> into, CancellationTokenSource idle, int idleSeconds)
    {
        if (idleSeconds > 0)
        {
            idle.CancelAfter(TimeSpan.FromSeconds(idleSeconds)); // re-armed before every read: a bound on silence
        }
        return stream.ReadAsync(into, idle.Token);
    }

    /// <summary>Commits the SSE response; false when the client already left (starting it would throw).</summary>
    private static async ValueTask<bool> TryStartSseAsync(ClientChannel client)
    {
        if (client.ClientGone)
        {
            return false;
        }
        try
        {
            await client.StartSseAsync();
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static async ValueTask<bool> FlushAsync(PipeWriter writer, ClientChannel client)
    {
        try
        {
            var result = await writer.FlushAsync(client.Context.RequestAborted);
            return !result.IsCompleted && !result.IsCanceled;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A sink for the translator's output once the client has left (reused: nobody reads it).</summary>
    private static ArrayBufferWriter<byte> Discard(ref ArrayBufferWriter<byte>? discarded)
    {
        discarded ??= new ArrayBufferWriter<byte>(256);
        discarded.ResetWrittenCount();
        return discarded;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        var end = buffer.GetPosition(1, newline.Value);
        line = buffer.Slice(0, end);
        buffer = buffer.Slice(end);
        return true;
    }

    /// <summary>The line without its "\n" or "\r\n" (or only a "\r" when it has no line end).</summary>
    private static ReadOnlySequence<byte> TrimEnd(ReadOnlySequence<byte> line, bool hasLineEnd = true)
    {
        var length = hasLineEnd ? line.Length - 1 : line.Length;
        if (length > 0 && line.Slice(length - 1, 1).FirstSpan[0] == (byte)'\r')
        {
            length--;
        }
        return line.Slice(0, length);
    }

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Warning, "Request {RequestId}: upstream stream idle for {Seconds}s, cut")]
        public static partial void StreamTimeout(ILogger logger, string requestId, int seconds);

        [LoggerMessage(601, LogLevel.Warning, "Request {RequestId}: upstream stream broke ({Error})")]
        public static partial void UpstreamBroke(ILogger logger, string requestId, string error);

        [LoggerMessage(602, LogLevel.Information, "Request {RequestId}: client disconnected; its slot released, draining upstream for billing")]
        public static partial void ClientGone(ILogger logger, string requestId);

        [LoggerMessage(603, LogLevel.Warning, "Request {RequestId}: upstream stream began with an error event; failing over")]
        public static partial void StreamErrorFirst(ILogger logger, string requestId);

        [LoggerMessage(604, LogLevel.Warning, "Request {RequestId}: upstream sent no body data for {Seconds}s, cut")]
        public static partial void JsonTimeout(ILogger logger, string requestId, int seconds);

        [LoggerMessage(605, LogLevel.Warning, "Request {RequestId}: upstream body broke ({Error})")]
        public static partial void JsonBroke(ILogger logger, string requestId, string error);

        [LoggerMessage(606, LogLevel.Warning, "Request {RequestId}: upstream answer was a failure; failing over")]
        public static partial void AnswerFailed(ILogger logger, string requestId);
    }
}
