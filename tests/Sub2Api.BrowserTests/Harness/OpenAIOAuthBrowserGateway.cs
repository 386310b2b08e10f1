using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.BrowserTests.Harness;

/// <summary>
/// A <see cref="BrowserGateway"/> whose ChatGPT OAuth calls (authorize URL, token grants) go to a
/// <see cref="FakeOpenAIOAuthServer"/> on loopback. One per test class.
/// </summary>
public sealed class OpenAIOAuthBrowserGateway : IAsyncLifetime
{
    public FakeOpenAIOAuthServer OAuth { get; private set; } = null!;

    public BrowserGateway Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        OAuth = await FakeOpenAIOAuthServer.StartAsync();
        Gateway = new BrowserGateway(OAuth.Settings);
        await Gateway.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (OAuth is not null)
        {
            await OAuth.DisposeAsync();
        }
    }
}
