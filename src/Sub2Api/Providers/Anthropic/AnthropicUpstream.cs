using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Sub2Api.Accounts;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Relay;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.Anthropic;

/// <summary>
/// How we speak to an Anthropic account (SPEC §6.1–§6.3): the URL, the auth header per account type, the client
/// header whitelist, defaults, beta headers, and for OAuth accounts the per-account fingerprint, the
/// metadata.user_id rewrite, dated model ids, and mimic mode for clients that are not Claude Code. Body edits are
/// surgical; everything else is the client's bytes. <see cref="PreparedBody.Mimic"/> marks an OAuth account serving a
/// client that is not Claude Code: the request is made to look like Claude Code's (forced default headers, mimic beta).
/// </summary>
internal sealed class AnthropicUpstream(IOptionsMonitor<GatewayOptions> options, IFingerprintStore fingerprints, AccountCredentialStore credentials)
{
    /// <summary>A count_tokens body never gets the banner (the original never injected it there).</summary>
    public PreparedBody PrepareBody(AccountModel account, RelayRequest request, HttpRequest client)
    {
        var countTokens = request.Operation == AnthropicOperations.CountTokens;
        var info = (AnthropicRequestInfo)request.Info;
        var body = request.Body;
        var model = request.Model;
        if (account.IsOAuth)
        {
            var fingerprint = fingerprints.GetOrCreate(account.Id, client.Headers);
            var mimic = !ClaudeCodeDetector.IsClaudeCode(client, info,
                client.Path.Value?.Contains("messages", StringComparison.OrdinalIgnoreCase) ?? false);
            if (account.AccountUuid is { } accountUuid && info.MetadataUserId is { } userId
                && OAuthUserId.Rewrite(userId, account.Id, accountUuid, fingerprint.ClientId) is { } rewritten)
            {
                body = AnthropicBodyEditor.ReplaceMetadataUserId(body.Span, rewritten);
            }
            model = ClaudeMimic.NormalizeModelId(model);
            var plan = new OAuthBodyPlan(
                UpstreamModel: model,
                Mimic: mimic,
                Banner: !countTokens && !ClaudeMimic.IsHaiku(model),
                MetadataUserId: mimic && string.IsNullOrEmpty(info.MetadataUserId)
                    ? MimicUserId(account, fingerprint, request.SessionHash)
                    : null);
            if (OAuthBodyRewriter.Rewrite(body.Span, plan) is { } rewrittenBody)
            {
                body = rewrittenBody;
            }
            // A Claude Code client without a system prompt still gets the banner (today's behaviour).
            if (!mimic && !countTokens && !info.HasSystem)
            {
                body = AnthropicBodyEditor.InjectSystemBanner(body.Span);
            }
            return new PreparedBody(body, model, mimic);
        }
        if (account.Type == AccountTypes.ApiKey)
        {
            var mapped = account.MapModel(model);
            if (mapped != model)
            {
                body = AnthropicBodyEditor.ReplaceModel(body.Span, mapped);
                model = mapped;
            }
        }
        return new PreparedBody(body, model);
    }

    /// <summary>buildOAuthMetadataUserID for mimic mode: the account's client id, its uuid (or empty), and a session
    /// uuid derived from the account and the sticky-session hash (random without one).</summary>
    internal static string MimicUserId(AccountModel account, Fingerprint fingerprint, string? sessionHash)
    {
        var session = string.IsNullOrEmpty(sessionHash)
            ? Guid.NewGuid().ToString()
            : OAuthUserId.UuidFromSha256(string.Create(CultureInfo.InvariantCulture, $"{account.Id}::{sessionHash}"));
        return $"user_{fingerprint.ClientId}_account_{account.AccountUuid}_session_{session}";
    }

    /// <param name="accessToken">The OAuth token to send (the one the caller checked for expiry); null reads the credential store.</param>
    public HttpRequestMessage Build(AccountModel account, PreparedBody body, RelayRequest request, HttpRequest client,
        string? accessToken = null)
    {
        var path = request.Operation == AnthropicOperations.CountTokens ? "/v1/messages/count_tokens" : "/v1/messages";
        var url = account.Type == AccountTypes.ApiKey
            ? (account.BaseUrl ?? "https://api.anthropic.com") + path
            : options.CurrentValue.Anthropic.BaseUrl.TrimEnd('/') + path + "?beta=true";
        var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        var content = new ReadOnlyMemoryContent(body.Bytes);
        message.Content = content;

        // :: whitelisted client headers (SPEC §6.2 step 2)
        foreach (var (name, values) in client.Headers)
        {
            if (AnthropicHeaders.ClientWhitelist.Contains(name))
            {
                Set(message, name, values.ToString());
            }
        }
        // :: auth per account type (never the client's credentials)
        if (account.IsOAuth)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken ?? credentials.Get(account.Id)?.AccessToken);
        }
        else
        {
            message.Headers.TryAddWithoutValidation("x-api-key", account.ApiKey);
        }
        // :: OAuth identity: the account's fingerprint and the official client's defaults
        if (account.IsOAuth)
        {
            var fp = fingerprints.GetOrCreate(account.Id, client.Headers);
            Set(message, "user-agent", fp.UserAgent);
            Set(message, "x-stainless-lang", fp.StainlessLang);
            Set(message, "x-stainless-package-version", fp.StainlessPackageVersion);
            Set(message, "x-stainless-os", fp.StainlessOs);
            Set(message, "x-stainless-arch", fp.StainlessArch);
            Set(message, "x-stainless-runtime", fp.StainlessRuntime);
            Set(message, "x-stainless-runtime-version", fp.StainlessRuntimeVersion);
            // Mimic mode trusts nothing the client sent: the official client's defaults overwrite everything.
            foreach (var (name, value) in AnthropicHeaders.DefaultHeaders)
            {
                if (body.Mimic || !Has(message, name))
                {
                    Set(message, name, value);
                }
            }
            if (body.Mimic || !Has(message, "accept"))
            {
                Set(message, "accept", "application/json");
            }
            if (request.Stream && (body.Mimic || !Has(message, "x-stainless-helper-method")))
            {
                Set(message, "x-stainless-helper-method", "stream");
            }
        }
        if (!Has(message, "content-type"))
        {
            Set(message, "content-type", "application/json");
        }
        if (!Has(message, "anthropic-version"))
        {
            Set(message, "anthropic-version", AnthropicHeaders.DefaultVersion);
        }
        // :: beta header rules
        var clientBeta = client.Headers["anthropic-beta"].ToString();
        var beta = body.Mimic ? ClaudeMimic.MimicBetaHeader(clientBeta)
            : account.IsOAuth ? AnthropicBeta.ForOAuth(body.UpstreamModel, clientBeta.Length == 0 ? null : clientBeta)
            : AnthropicBeta.ForApiKey(body.UpstreamModel, clientBeta.Length == 0 ? null : clientBeta,
                options.CurrentValue.InjectBetaForApiKey, ((AnthropicRequestInfo)request.Info).HasTools, ((AnthropicRequestInfo)request.Info).ThinkingType);
        if (beta is not null)
        {
            Set(message, "anthropic-beta", beta);
        }
        return message;
    }

    private static bool Has(HttpRequestMessage message, string name) =>
        name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            ? message.Content!.Headers.NonValidated.Contains(name)
            : message.Headers.NonValidated.Contains(name);

    private static void Set(HttpRequestMessage message, string name, string value)
    {
        if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
        {
            message.Content!.Headers.Remove("content-type");
            message.Content.Headers.TryAddWithoutValidation("content-type", value);
            return;
        }
        message.Headers.Remove(name);
        message.Headers.TryAddWithoutValidation(name, value);
    }
}
