using Sub2Api.Configuration;
using Sub2Api.Scheduling;

namespace Sub2Api.Relay;

/// <summary>
/// One upstream platform as the relay sees it: how a request is prepared and sent to one of its accounts, how the
/// upstream's failures are judged, and how its answer is read (usage) and translated for the client. The relay
/// (<see cref="RelayPipeline"/>, <see cref="UpstreamForwarder"/>, <see cref="ResponseRelay"/>) knows nothing else of a
/// provider. Implementations live in <c>Providers/&lt;Name&gt;/</c> and are registered by that folder's
/// <c>Add&lt;Name&gt;()</c>; <see cref="ProviderRegistry"/> finds them by <see cref="Platform"/>.
/// </summary>
internal interface IRelayProvider
{
    /// <summary>The accounts' and groups' <c>platform</c> value this provider serves.</summary>
    string Platform { get; }

    /// <summary>The error shapes of this provider's own API, for the routes every platform shares (e.g. <c>/v1/models</c>).</summary>
    IClientDialect Dialect { get; }

    /// <summary>Whether keys of this platform's groups may use a route of this operation (see <see cref="RelayRoute.Operation"/>).</summary>
    bool Serves(string operation);

    /// <summary>How many other accounts one request may fail over to.</summary>
    int MaxAccountSwitches(GatewayOptions options);

    /// <summary>The body this account will get (model mapping, per-account rewrites), built once per account.</summary>
    PreparedBody Prepare(AccountModel account, RelayRequest request, HttpRequest client);

    /// <summary>The upstream request: URL, auth (the given OAuth token for OAuth accounts), forwarded and default headers.</summary>
    HttpRequestMessage Build(AccountModel account, PreparedBody body, RelayRequest request, HttpRequest client, string? accessToken);

    /// <summary>The upstream's status as the relay acts on it.</summary>
    UpstreamFailure Classify(int status);

    /// <summary>Whether another account may do better after this failure.</summary>
    bool CanFailOver(UpstreamFailure failure);

    /// <summary>Whether to retry the same account after this status (with backoff, within the retry budget).</summary>
    bool ShouldRetrySameAccount(AccountModel account, int status);

    /// <summary>
    /// After a 400, a corrected body worth one more try on the same account (e.g. history blocks whose signatures no
    /// longer verify), or null. <paramref name="corrections"/> counts the corrections already tried.
    /// </summary>
    (PreparedBody Body, string What)? CorrectAfterBadRequest(RelayRequest request, PreparedBody original, int corrections,
        ReadOnlySpan<byte> errorBody);

    /// <summary>Whether a 400 looks like a difference between accounts rather than the client's mistake.</summary>
    bool ShouldFailOverOn400(ReadOnlySpan<byte> errorBody);

    /// <summary>The human-readable message of an upstream error body, or "".</summary>
    string ExtractErrorMessage(ReadOnlySpan<byte> errorBody);

    /// <summary>The upstream's own error type in an error body, or null.</summary>
    string? ExtractErrorType(ReadOnlySpan<byte> errorBody);

    /// <summary>The client's error for an upstream status that is not passed through.</summary>
    RelayError MapForClient(int upstreamStatus);

    /// <summary>Reads (and where needed translates) the upstream's answer to this request, JSON or SSE.</summary>
    IResponseTranslator CreateTranslator(RelayRequest request, PreparedBody body);

    /// <summary>The answer to <c>GET /v1/models</c> for keys of this platform: the account-mapped ids, else the defaults.</summary>
    Task WriteModelsAsync(HttpContext context, IReadOnlyList<string> mappedModels);
}

/// <summary>An error the gateway answers in the client's dialect.</summary>
internal readonly record struct RelayError(int Status, string Type, string Message);

/// <summary>The per-account request body and the model the upstream will see.</summary>
/// <param name="Mimic">The request is made to look like the official client's (a provider's own rule decides when).</param>
/// <param name="Translated">The body is in another API's format than the client's (e.g. Chat Completions sent as
/// Responses): the answer must be translated back.</param>
internal readonly record struct PreparedBody(ReadOnlyMemory<byte> Bytes, string UpstreamModel, bool Mimic = false, bool Translated = false);
