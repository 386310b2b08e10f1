using Sub2Api.WebApp;

namespace Sub2Api.UnitTests.WebApp;

public sealed class ConsoleAddressTests
{
    [Theory]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("http://[::]:8080", "http://localhost:8080")]
    [InlineData("http://+:80", "http://localhost:80")]
    [InlineData("https://*:8443", "https://localhost:8443")]
    [InlineData("http://0.0.0.0", "http://localhost")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http://localhost:8080", "http://localhost:8080")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080")]
    [InlineData("http://example.com:8080/base", "http://example.com:8080/base")]
    [InlineData("http://0.0.0.0:8080/base", "http://localhost:8080/base")]
    public void WildcardHosts_AreShownAsLocalhost(string address, string expected) =>
        Assert.Equal(expected, ConsoleAddress.Browsable(address));
}
