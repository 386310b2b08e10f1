using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Sub2Api.Accounts;
using Sub2Api.Common;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// How we speak to an OpenAI account. API-key accounts get the client's request as it is (Responses as Responses,
/// Chat Completions as chat) at <c>{base_url}/v1/…</c> with the account's key and the model mapped. ChatGPT (Codex)
/// OAuth accounts only speak streamed Responses at <c>{CodexBaseUrl}/responses</c>: chat requests go as their Responses
/// translation, the body is made acceptable to the Codex backend (<see cref="CodexBodyRewriter"/>), and the request
/// carries the ChatGPT account id and Codex's headers.
/// </summary>
internal sealed class OpenAIUpstream(IOptionsMonitor<OpenAIUpstreamOptions> options, AccountCredentialStore credentials)
{
    /// <summary>Client headers an API-key upstream may see; everything else (the client's key above all) stays here.</summary>
    private static readonly HashSet<string> ForwardedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "accept", "accept-language", "content-type", "user-agent", "originator", "session_id", "conversation_id", "session-id",
        "thread-id", "conversation-id",
        "openai-beta", "x-stainless-lang", "x-stainless-package-version", "x-stainless-os", "x-stainless-arch",
        "x-stainless-runtime", "x-stainless-runtime-version",
    };

    public static PreparedBody PrepareBody(AccountModel account, RelayRequest request)
    {
        var client = (OpenAIClientRequest)request.Info;
        if (account.IsOAuth)
        {
            // The rewrite reads a span and writes a new body: the client's bytes are not copied first.
            var body = client.IsChat ? client.ResponsesBody.AsMemory() : request.Body;
            // Compaction is a plain JSON call: the rewrite leaves its store/stream/include alone.
            var plan = CodexRewritePlan.For(account.MapModel(request.Model), compact: request.Operation == OpenAIOperations.ResponsesCompact);
            return new PreparedBody(CodexBodyRewriter.Rewrite(body.Span, plan), plan.Model, Translated: client.IsChat);
        }
        var mapped = account.MapModel(request.Model);
        return mapped == request.Model
            ? new PreparedBody(request.Body, mapped)
            : new PreparedBody(JsonBytes.SetTopLevelString(request.Body.Span, "model"u8, mapped), mapped);
    }

    public HttpRequestMessage Build(AccountModel account, PreparedBody body, RelayRequest request, HttpRequest client, string? accessToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Url(account, request))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
            Content = new ReadOnlyMemoryContent(body.Bytes),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (account.IsOAuth)
        {
            AddCodexHeaders(message, account, request, client, accessToken ?? credentials.Get(account.Id)?.AccessToken);
            return message;
        }
        foreach (var (name, values) in client.Headers)
        {
            if (ForwardedHeaders.Contains(name) && !name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, values.ToString());
            }
        }
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.ApiKey);
        return message;
    }

    private string Url(AccountModel account, RelayRequest request)
    {
        if (account.IsOAuth)
        {
            var codex = options.CurrentValue.CodexBaseUrl.TrimEnd('/');
            return request.Operation == OpenAIOperations.ResponsesCompact ? codex + "/responses/compact" : codex + "/responses";
        }
        // A base URL that already names the API version (".../v1") is taken as the API root.
        var root = (account.BaseUrl ?? options.CurrentValue.BaseUrl).TrimEnd('/');
        var v1 = root.EndsWith("/v1", StringComparison.Ordinal) ? root : root + "/v1";
        return request.Operation switch
        {
            OpenAIOperations.ChatCompletions => v1 + "/chat/completions",
            OpenAIOperations.ResponsesCompact => v1 + "/responses/compact",
            _ => v1 + "/responses",
        };
    }

    /// <summary>
    /// What the Codex backend expects of its own client: the ChatGPT account id, the Responses beta, a stream, the
    /// originator (Codex CLI's own for Codex CLI, else a generic one), and the conversation's cache key as the session.
    /// </summary>
    private static void AddCodexHeaders(HttpRequestMessage message, AccountModel account, RelayRequest request, HttpRequest client,
        string? accessToken)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (account.UpstreamAccountId is { } accountId)
        {
            message.Headers.TryAddWithoutValidation("chatgpt-account-id", accountId);
        }
        message.Headers.TryAddWithoutValidation("OpenAI-Beta", "responses=experimental");
        message.Headers.TryAddWithoutValidation("accept",
            request.Operation == OpenAIOperations.ResponsesCompact ? "application/json" : "text/event-stream");
        var userAgent = client.Headers.UserAgent.ToString();
        if (userAgent.Length > 0)
        {
            message.Headers.TryAddWithoutValidation("user-agent", userAgent);
        }
        var originator = client.Headers["originator"].ToString();
        message.Headers.TryAddWithoutValidation("originator",
            originator.StartsWith("codex", StringComparison.Ordinal) ? originator
            : userAgent.StartsWith("codex", StringComparison.OrdinalIgnoreCase) ? "codex_cli_rs" : "opencode");
        var session = ((OpenAIClientRequest)request.Info).Info.PromptCacheKey ?? FirstHeader(client, "session_id", "session-id");
        if (!string.IsNullOrEmpty(session))
        {
            message.Headers.TryAddWithoutValidation("session_id", session);
            message.Headers.TryAddWithoutValidation("conversation_id", session);
        }
    }

    private static string? FirstHeader(HttpRequest client, params string[] names)
    {
        foreach (var name in names)
        {
            if (client.Headers[name].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }
        return null;
    }

}
