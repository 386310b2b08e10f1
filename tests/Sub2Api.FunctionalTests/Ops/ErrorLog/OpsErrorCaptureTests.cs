using System.Net;
using System.Text.Json;
using Sub2Api.Data.Entities;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.Ops.ErrorLog;

/// <summary>
/// What the relay's failures leave in the ops error log, end to end: a failed-over attempt is an upstream row only;
/// a request no account could serve is a request row plus its upstream rows; a bad API key is the client's fault and
/// leaves no key material; request bodies are kept only when an admin turns capture on, capped and redacted.
/// </summary>
public sealed class OpsErrorCaptureTests
{
    private const string Base = "/api/v1/admin/ops";

    [Fact]
    public async Task FirstAccount429_SecondServes_OneFailedOverUpstreamRow_AndNoRequestRow()
    {
        await using var s = await RelayScenario.StartAsync();
        var limited = await s.AddApiKeyAccountAsync("rl429", priority: 1);
        await s.AddApiKeyAccountAsync("ok", priority: 2);
        var (key, userId, keyId) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        await s.FlushUsageAsync();
        // A later failing request's row arriving shows the first request's handler has ended (and written its rows).
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync("sk-not-a-known-key-0000000000000000")).Status);

        var rows = await OpsErrorRows.WaitForAsync(s.App, r => r.Any(e => e.Phase == "auth"));
        var upstream = Assert.Single(rows, e => e.Kind == OpsErrorKinds.Upstream);
        Assert.True(upstream.FailedOver);
        Assert.Equal(limited, upstream.AccountId);
        Assert.Equal(429, upstream.UpstreamStatusCode);
        Assert.Equal(0, upstream.Attempt);
        Assert.Equal(userId, upstream.UserId);
        Assert.Equal(keyId, upstream.ApiKeyId);
        Assert.Equal(s.GroupId, upstream.GroupId);
        Assert.DoesNotContain(rows, e => e.Kind == OpsErrorKinds.Request && e.RequestId == upstream.RequestId);

        // The API shows it with the account's and group's names.
        var admin = await s.App.AdminAsync();
        var listed = (await admin.GetAsync($"{Base}/upstream-errors")).Data;
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(upstream.Id, item.GetProperty("id").GetInt64());
        Assert.True(item.GetProperty("failed_over").GetBoolean());
        Assert.Equal("claude", item.GetProperty("group_name").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("account_name").GetString()));
        Assert.EndsWith("@example.com", item.GetProperty("user_email").GetString(), StringComparison.Ordinal);
    }

    /// <summary>An admin's passthrough rule marked skip_monitoring says "this error is expected": the client still gets
    /// the rule's answer, but the ops log keeps no request row for it (the upstream attempts stay visible).</summary>
    [Fact]
    public async Task SkipMonitoringRule_AnswersTheClient_ButLeavesNoRequestRow()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("err500", priority: 1);
        var (key, _, _) = await s.AddUserWithKeyAsync();
        var admin = await s.App.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/admin/error-passthrough-rules", new
        {
            name = "expected outage", error_codes = new[] { 500 }, passthrough_code = false, response_code = 503,
            passthrough_body = false, custom_message = "maintenance window", skip_monitoring = true,
        })).Status);

        var (status, body) = await s.SendAsync(key);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("maintenance window", body, StringComparison.Ordinal);
        // A later failing request's row arriving shows the first request's handler has ended.
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync("sk-not-a-known-key-0000000000000000")).Status);

        var rows = await OpsErrorRows.WaitForAsync(s.App, r => r.Any(e => e.Phase == "auth"));
        Assert.Contains(rows, e => e.Kind == OpsErrorKinds.Upstream && e.UpstreamStatusCode == 500);
        Assert.DoesNotContain(rows, e => e.Kind == OpsErrorKinds.Request && e.Phase != "auth");
    }

    [Fact]
    public async Task EveryAccountFails_RequestRowWithItsUpstreamRows_ShownInTheDetail()
    {
        await using var s = await RelayScenario.StartAsync();
        var first = await s.AddApiKeyAccountAsync("err500", priority: 1);
        var second = await s.AddApiKeyAccountAsync("err500", priority: 2);
        var (key, _, _) = await s.AddUserWithKeyAsync();

        var (status, body) = await s.SendAsync(key);
        Assert.True((int)status >= 500, body);

        var rows = await OpsErrorRows.WaitForAsync(s.App, r => r.Any(e => e.Kind == OpsErrorKinds.Request));
        var request = Assert.Single(rows, e => e.Kind == OpsErrorKinds.Request);
        Assert.Equal((int)status, request.StatusCode);
        Assert.Equal("upstream", request.Phase);
        Assert.Equal("provider", request.Owner);
        var upstream = rows.Where(e => e.Kind == OpsErrorKinds.Upstream).ToList();
        Assert.Equal([first, second], upstream.Select(e => e.AccountId!.Value).Order());
        Assert.All(upstream, e => Assert.Equal(request.RequestId, e.RequestId));

        var admin = await s.App.AdminAsync();
        var detail = (await admin.GetAsync($"{Base}/request-errors/{request.Id}")).Data;
        Assert.Equal("request", detail.GetProperty("kind").GetString());
        Assert.Equal("provider", detail.GetProperty("error_owner").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("request_body").ValueKind);
        var linked = detail.GetProperty("upstream_errors").EnumerateArray().ToList();
        Assert.Equal(upstream.Select(e => e.Id), linked.Select(e => e.GetProperty("id").GetInt64()));
        Assert.All(linked, e => Assert.Equal(500, e.GetProperty("upstream_status_code").GetInt32()));

        var paged = (await admin.GetAsync($"{Base}/request-errors/{request.Id}/upstream-errors")).Data;
        Assert.Equal(2, paged.GetProperty("total").GetInt64());
        // An upstream row is not a request error, and a request row is not an upstream error.
        (await admin.GetAsync($"{Base}/request-errors/{upstream[0].Id}")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.GetAsync($"{Base}/upstream-errors/{request.Id}")).ShouldFail(HttpStatusCode.NotFound);
        var upstreamDetail = (await admin.GetAsync($"{Base}/upstream-errors/{upstream[0].Id}")).Data;
        Assert.Empty(upstreamDetail.GetProperty("upstream_errors").EnumerateArray());
        // Both kinds through the combined list.
        Assert.Equal(3, (await admin.GetAsync($"{Base}/errors")).Data.GetProperty("total").GetInt64());
        Assert.Equal(1, (await admin.GetAsync($"{Base}/errors?kind=request")).Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task InvalidApiKey_IsAClientAuthRow_WithoutTheKey()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("ok");
        const string badKey = "sk-0123456789abcdef0123456789abcdef-invalid";

        var (status, _) = await s.SendAsync(badKey);
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        var rows = await OpsErrorRows.WaitForAsync(s.App, r => r.Count > 0);
        var row = Assert.Single(rows);
        Assert.Equal(OpsErrorKinds.Request, row.Kind);
        Assert.Equal("auth", row.Phase);
        Assert.Equal("client", row.Owner);
        Assert.Equal(401, row.StatusCode);
        Assert.Null(row.UserId);
        Assert.DoesNotContain(badKey, JsonSerializer.Serialize(row), StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", JsonSerializer.Serialize(row), StringComparison.Ordinal);

        var admin = await s.App.AdminAsync();
        var detail = await admin.GetAsync($"{Base}/errors/{row.Id}");
        Assert.Equal("auth", detail.Data.GetProperty("phase").GetString());
        Assert.DoesNotContain("0123456789abcdef", detail.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestBody_OffByDefault_CapturedCappedAndRedactedOnceTurnedOn()
    {
        await using var s = await RelayScenario.StartAsync();
        await s.AddApiKeyAccountAsync("err500");
        var (key, _, _) = await s.AddUserWithKeyAsync();
        const string secret = "sk-ant-api03-SECRETSECRETSECRETSECRET";
        var prompt = $"my key is {secret} " + new string('x', 20_000);

        await s.SendAsync(key, text: "first");
        var before = await OpsErrorRows.WaitForAsync(s.App, r => r.Any(e => e.Kind == OpsErrorKinds.Request));
        Assert.All(before, e => Assert.Null(e.RequestBody));

        var admin = await s.App.AdminAsync();
        var settings = await admin.PutAsync("/api/v1/admin/settings", new { ops_capture_request_body = true });
        Assert.True(settings.Data.GetProperty("ops_capture_request_body").GetBoolean());
        await s.SendAsync(key, text: prompt);

        var rows = await OpsErrorRows.WaitForAsync(s.App, r => r.Count(e => e.Kind == OpsErrorKinds.Request) == 2);
        var captured = rows.Last(e => e.Kind == OpsErrorKinds.Request);
        Assert.NotNull(captured.RequestBody);
        Assert.Contains("my key is ", captured.RequestBody, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETSECRET", captured.RequestBody, StringComparison.Ordinal);
        Assert.True(captured.RequestBodyTruncated);
        Assert.True(captured.RequestBodyBytes > 20_000);
        Assert.True(captured.RequestBody.Length <= 16 * 1024, $"{captured.RequestBody.Length} characters kept");
        // Upstream rows never carry the client's body.
        Assert.All(rows.Where(e => e.Kind == OpsErrorKinds.Upstream), e => Assert.Null(e.RequestBody));

        var detail = (await admin.GetAsync($"/api/v1/admin/ops/request-errors/{captured.Id}")).Data;
        Assert.True(detail.GetProperty("request_body_truncated").GetBoolean());
        Assert.DoesNotContain("SECRETSECRET", detail.GetProperty("request_body").GetString()!, StringComparison.Ordinal);

        // And off again.
        await admin.PutAsync("/api/v1/admin/settings", new { ops_capture_request_body = false });
        await s.SendAsync(key, text: "third");
        rows = await OpsErrorRows.WaitForAsync(s.App, r => r.Count(e => e.Kind == OpsErrorKinds.Request) == 3);
        Assert.Null(rows.Last(e => e.Kind == OpsErrorKinds.Request).RequestBody);
    }
}
