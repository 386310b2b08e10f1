using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.BrowserTests.Harness;

/// <summary>
/// The whole gateway on a real loopback socket (the browser needs one), serving the built web app from its output's
/// wwwroot, with a <see cref="FakeUpstream"/> as the Anthropic API. One per test class; tests that change shared
/// state use their own users.
/// </summary>
public sealed class BrowserGateway : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> _extraSettings;

    public BrowserGateway()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>A gateway with more settings (e.g. a fake OAuth provider's); internal so xunit sees one public constructor.</summary>
    internal BrowserGateway(IReadOnlyDictionary<string, string?> extraSettings)
    {
        _extraSettings = extraSettings;
    }

    public FakeUpstream Upstream { get; private set; } = null!;

    public Sub2ApiFactory App { get; private set; } = null!;

    /// <summary>The gateway's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync();
        var settings = new Dictionary<string, string?>(_extraSettings)
        {
            [Sub2ApiFactory.UseKestrelSetting] = "true",
            ["Gateway:Anthropic:BaseUrl"] = Upstream.BaseUrl,
        };
        App = new Sub2ApiFactory(settings: settings);
        BaseUrl = App.ServerAddress.TrimEnd('/');
    }

    /// <summary>A management-API client on the real socket.</summary>
    public ApiClient Api() => new(new HttpClient { BaseAddress = new Uri(BaseUrl) });

    public async Task<ApiClient> AdminApiAsync()
    {
        var login = await Api().PostAsync("/api/v1/auth/login", new { email = Sub2ApiFactory.AdminEmail, password = Sub2ApiFactory.AdminPassword });
        return Api().WithToken(login.Data.GetProperty("access_token").GetString()!);
    }

    /// <summary>A plain user created through the admin API (unique e-mail per call).</summary>
    public async Task<(string Email, string Password, long Id)> CreateUserAsync(string name, decimal balance = 0m)
    {
        var email = $"{name}-{Guid.NewGuid().ToString("N")[..12]}@example.com";
        const string password = "user-password-1";
        var admin = await AdminApiAsync();
        var created = await admin.PostAsync("/api/v1/admin/users", new { email, password, balance });
        return (email, password, created.Data.GetProperty("id").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}
