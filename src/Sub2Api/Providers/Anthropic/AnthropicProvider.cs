using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// Claude accounts (OAuth, setup-token, API key) behind the Messages API: <see cref="AnthropicUpstream"/> builds the
/// requests, <see cref="AnthropicErrors"/> judges failures, <see cref="AnthropicResponseTranslator"/> reads answers.
/// </summary>
internal sealed class AnthropicProvider(AnthropicUpstream upstream) : IRelayProvider
{
    public string Platform => Platforms.Anthropic;

    public IClientDialect Dialect => AnthropicMessagesDialect.Instance;

    public bool Serves(string operation) => operation is AnthropicOperations.Messages or AnthropicOperations.CountTokens;

    public int MaxAccountSwitches(GatewayOptions options) => options.MaxAccountSwitches;

    public PreparedBody Prepare(AccountModel account, RelayRequest request, HttpRequest client) =>
        upstream.PrepareBody(account, request, client);

    public HttpRequestMessage Build(AccountModel account, PreparedBody body, RelayRequest request, HttpRequest client, string? accessToken) =>
        upstream.Build(account, body, request, client, accessToken);

    public UpstreamFailure Classify(int status) => AnthropicErrors.Classify(status);

    public bool CanFailOver(UpstreamFailure failure) => AnthropicErrors.CanFailOver(failure);

    public bool ShouldRetrySameAccount(AccountModel account, int status) =>
        AnthropicErrors.ShouldRetrySameAccount(account.IsOAuth, status, account.CustomErrorCodesEnabled, account.CustomErrorCodes);

    /// <summary>
    /// A 400 saying the history's thinking blocks no longer verify: first without thinking blocks (turned into text);
    /// if that still fails and the error names tool blocks, without those too. A filter that changes nothing is not
    /// worth a request. Never for count_tokens (the original never retried it).
    /// </summary>
    public (PreparedBody Body, string What)? CorrectAfterBadRequest(RelayRequest request, PreparedBody original, int corrections,
        ReadOnlySpan<byte> errorBody)
    {
        if (request.Operation == AnthropicOperations.CountTokens)
        {
            return null;
        }
        var message = AnthropicErrors.ExtractMessage(errorBody);
        var (what, filtered) = corrections switch
        {
            0 when AnthropicThinkingFilter.IsSignatureError(message) =>
                ("signature error, retrying without thinking blocks", AnthropicThinkingFilter.FilterThinkingBlocksForRetry(original.Bytes.Span)),
            1 when AnthropicThinkingFilter.MentionsTools(message) =>
                ("signature error, retrying without thinking and tool blocks", AnthropicThinkingFilter.FilterSignatureSensitiveBlocksForRetry(original.Bytes.Span)),
            _ => ("", null),
        };
        if (filtered is null || filtered.AsSpan().SequenceEqual(original.Bytes.Span))
        {
            return null;
        }
        return (original with { Bytes = filtered }, what);
    }

    public bool ShouldFailOverOn400(ReadOnlySpan<byte> errorBody) => AnthropicErrors.ShouldFailoverOn400(errorBody);

    public string ExtractErrorMessage(ReadOnlySpan<byte> errorBody) => AnthropicErrors.ExtractMessage(errorBody);

    public string? ExtractErrorType(ReadOnlySpan<byte> errorBody) => AnthropicResponseJson.GetText(errorBody, "error"u8, "type"u8);

    public RelayError MapForClient(int upstreamStatus)
    {
        var (status, type, message) = AnthropicErrors.MapForClient(upstreamStatus);
        return new RelayError(status, type, message);
    }

    public IResponseTranslator CreateTranslator(RelayRequest request, PreparedBody body) =>
        new AnthropicResponseTranslator(body.UpstreamModel, request.Model);

    public Task WriteModelsAsync(HttpContext context, IReadOnlyList<string> mappedModels) =>
        AnthropicModels.WriteListAsync(context, mappedModels);
}
