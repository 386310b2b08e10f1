using Sub2Api.Infrastructure.Logging;

namespace Sub2Api.UnitTests.Logging;

public sealed class SecretRedactorTests
{
    private const string GatewayKey = "sk-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

    [Theory]
    // Query parameters whose names look secret: the name stays, the value goes.
    [InlineData("GET http://gw/v1/messages?key=SECRET1&page=2", "GET http://gw/v1/messages?key=[redacted]&page=2")]
    [InlineData("/api/v1/x?token=SECRET1", "/api/v1/x?token=[redacted]")]
    [InlineData("/cb?state=abc&code=SECRET1#frag", "/cb?state=abc&code=[redacted]#frag")]
    [InlineData("?api_key=SECRET1&apikey=SECRET2", "?api_key=[redacted]&apikey=[redacted]")]
    [InlineData("?access_token=S1&refresh_token=S2&id_token=S3", "?access_token=[redacted]&refresh_token=[redacted]&id_token=[redacted]")]
    [InlineData("?session_key=S1&sessionKey=S2&password=S3", "?session_key=[redacted]&sessionKey=[redacted]&password=[redacted]")]
    [InlineData("?secret=S1&client_secret=S2&signature=S3&X-Amz-Signature=S4", "?secret=[redacted]&client_secret=[redacted]&signature=[redacted]&X-Amz-Signature=[redacted]")]
    [InlineData("grant_type=refresh_token&refresh_token=S1", "grant_type=refresh_token&refresh_token=[redacted]")]
    // Credential headers, as HttpClient's Trace logging writes them (one per line) and as key=value text.
    [InlineData("Request Headers:\r\nAuthorization: Bearer abc\r\nAccept: */*", "Request Headers:\r\nAuthorization: [redacted]\r\nAccept: */*")]
    [InlineData("x-api-key: SECRET1\nanthropic-version: 2023-06-01", "x-api-key: [redacted]\nanthropic-version: 2023-06-01")]
    [InlineData("X-Goog-Api-Key: SECRET1", "X-Goog-Api-Key: [redacted]")]
    [InlineData("anthropic-api-key: SECRET1", "anthropic-api-key: [redacted]")]
    [InlineData("Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: [redacted]")]
    [InlineData("Cookie: a=1; session=SECRET1", "Cookie: [redacted]")]
    [InlineData("Set-Cookie: sid=SECRET1; HttpOnly", "Set-Cookie: [redacted]")]
    [InlineData("authorization=SECRET1", "authorization=[redacted]")]
    // JSON fields.
    [InlineData("{\"refresh_token\":\"SECRET1\",\"expires_in\":3600}", "{\"refresh_token\":\"[redacted]\",\"expires_in\":3600}")]
    [InlineData("{\"password\": \"pa\\\"ss\", \"email\": \"a@b.c\"}", "{\"password\": \"[redacted]\", \"email\": \"a@b.c\"}")]
    [InlineData("{\"authorization\":\"Bearer x\"}", "{\"authorization\":\"[redacted]\"}")]
    // A harmless name's value is still searched.
    [InlineData("{\"url\":\"http://up/v1?key=SECRET1\",\"page\":\"2\"}", "{\"url\":\"http://up/v1?key=[redacted]\",\"page\":\"2\"}")]
    [InlineData("{\"message\":\"bad header Bearer SECRET1-abc\"}", "{\"message\":\"bad header Bearer [redacted]\"}")]
    [InlineData("?next=" + GatewayKey + "&page=1", "?next=[redacted]&page=1")]
    // Token shapes anywhere in the text.
    [InlineData("key " + GatewayKey + " rejected", "key [redacted] rejected")]
    [InlineData("oauth sk-ant-oat01-AbC_def-123 expired", "oauth [redacted] expired")]
    [InlineData("sk-ant-api03-xyz", "[redacted]")]
    [InlineData("admin admin-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef used", "admin [redacted] used")]
    [InlineData("refresh rt_0123456789abcdef0123456789abcdef failed", "refresh [redacted] failed")]
    [InlineData("token " + Jwt + " invalid", "token [redacted] invalid")]
    [InlineData("sent Bearer my-custom-key-1234", "sent Bearer [redacted]")]
    [InlineData("sent bearer abcdefghijklmnopqrstuvwxyz", "sent bearer [redacted]")]
    // Proxy URLs with a password.
    [InlineData("proxy http://user:p4ss@10.0.0.1:3128 failed", "proxy http://[redacted]@10.0.0.1:3128 failed")]
    [InlineData("socks5://alice:s3cr3t@proxy.example:1080", "socks5://[redacted]@proxy.example:1080")]
    public void Redacts(string text, string expected)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("SECRET", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Request finished HTTP/1.1 POST http://127.0.0.1:8080/v1/messages?beta=true - 200 - application/json 12.3ms")]
    [InlineData("GET /api/v1/admin/usage?page=1&page_size=20&start_date=2026-01-01&model=claude-sonnet-4")]
    [InlineData("usage input_tokens=12 output_tokens=34 max_tokens=1024 cache_read_input_tokens=0")]
    [InlineData("{\"input_tokens\":12,\"max_tokens\":1024,\"model\":\"claude-sonnet-4\",\"keyword\":\"x\"}")]
    [InlineData("Authorization failed. These requirements were not met: DenyAnonymousAuthorizationRequirement")]
    [InlineData("AuthenticationScheme: Bearer was not authenticated.")]
    [InlineData("key sk-ok…a1 (masked) and status_code=400 author=alice")]
    [InlineData("Executed DbCommand (1ms) [Parameters=[@p0='?' (DbType = String)], CommandType='Text']")]
    [InlineData("Now listening on: http://127.0.0.1:8080")]
    [InlineData("Microsoft.AspNetCore.DataProtection, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60")]
    [InlineData("")]
    public void LeavesTextWithoutSecretsAlone(string text) => Assert.Same(text, SecretRedactor.Redact(text));
}
