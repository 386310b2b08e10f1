using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.OpenAI;

/// <summary>
/// OpenAI accounts — API keys and ChatGPT (Codex) subscriptions — behind the Responses and Chat Completions APIs:
/// <see cref="OpenAIUpstream"/> builds the requests, <see cref="OpenAIErrors"/> judges failures, the translators read
/// (and for chat clients on ChatGPT accounts, translate) the answers.
/// </summary>
internal sealed class OpenAIProvider(OpenAIUpstream upstream) : IRelayProvider
{
    public string Platform => Platforms.OpenAI;

    public IClientDialect Dialect => OpenAIResponsesDialect.Instance;

    public bool Serves(string operation) =>
        operation is OpenAIOperations.Responses or OpenAIOperations.ResponsesCompact or OpenAIOperations.ChatCompletions;

    public int MaxAccountSwitches(GatewayOptions options) => options.MaxAccountSwitches;

    public PreparedBody Prepare(AccountModel account, RelayRequest request, HttpRequest client) => OpenAIUpstream.PrepareBody(account, request);

    public HttpRequestMessage Build(AccountModel account, PreparedBody body, RelayRequest request, HttpRequest client, string? accessToken) =>
        upstream.Build(account, body, request, client, accessToken);

    /// <summary>As for every upstream, plus 402 (a ChatGPT plan that lapsed): that account cannot serve, another may.</summary>
    public UpstreamFailure Classify(int status) => status switch
    {
        >= 200 and < 300 => UpstreamFailure.None,
        400 => UpstreamFailure.BadRequest,
        401 => UpstreamFailure.AuthRejected,
        402 or 403 => UpstreamFailure.Forbidden,
        429 => UpstreamFailure.RateLimited,
        >= 500 => UpstreamFailure.ServerError,
        _ => UpstreamFailure.OtherClientError,
    };

    /// <summary>The same failures as every upstream: the account's standing, overload, server and transport errors.</summary>
    public bool CanFailOver(UpstreamFailure failure) => UpstreamFailures.CanFailOver(failure);

    public bool ShouldRetrySameAccount(AccountModel account, int status) => OpenAIErrors.ShouldRetrySameAccount(status);

    public (PreparedBody Body, string What)? CorrectAfterBadRequest(RelayRequest request, PreparedBody original, int corrections,
        ReadOnlySpan<byte> errorBody) => null;

    public bool ShouldFailOverOn400(ReadOnlySpan<byte> errorBody) => false;

    public string ExtractErrorMessage(ReadOnlySpan<byte> errorBody) => OpenAIErrors.ExtractMessage(errorBody);

    public string? ExtractErrorType(ReadOnlySpan<byte> errorBody) => OpenAIErrors.ExtractType(errorBody);

    public RelayError MapForClient(int upstreamStatus)
    {
        var (status, type, message) = OpenAIErrors.MapForClient(upstreamStatus);
        return new RelayError(status, type, message);
    }

    public IResponseTranslator CreateTranslator(RelayRequest request, PreparedBody body)
    {
        var client = (OpenAIClientRequest)request.Info;
        if (!client.IsChat)
        {
            return new ResponsesTranslator();
        }
        return body.Translated
            ? new ResponsesToChatTranslator(request.Model, client.Info.IncludeUsage)
            : new ChatPassthroughTranslator();
    }

    public Task WriteModelsAsync(HttpContext context, IReadOnlyList<string> mappedModels)
    {
        IReadOnlyList<string> ids = mappedModels.Count > 0 ? mappedModels : OpenAIModelCatalog.DefaultModels;
        // Codex CLI discovers models with ?client_version= and expects its own list shape.
        var body = context.Request.Query.ContainsKey("client_version")
            ? OpenAIModelCatalog.CodexDiscovery(ids)
            : OpenAIModelCatalog.OpenAIList(ids);
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
