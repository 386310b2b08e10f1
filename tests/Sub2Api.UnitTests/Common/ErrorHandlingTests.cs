using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Sub2Api.Common;

namespace Sub2Api.UnitTests.Common;

/// <summary>The exception handler answers in the route family's shape: Anthropic's on the gateway, the envelope elsewhere.</summary>
public sealed class ErrorHandlingTests
{
    private static async Task<(int Status, JsonElement Body)> HandleAsync(string path, Exception exception, Endpoint? endpoint = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        if (endpoint is not null)
        {
            // What the exception handler middleware leaves: the endpoint cleared from the request, kept in its feature.
            context.Features.Set<IExceptionHandlerFeature>(new ExceptionHandlerFeature { Error = exception, Endpoint = endpoint, Path = path });
        }

        Assert.True(await new ErrorHandling(NullLogger<ErrorHandling>.Instance).TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, json.RootElement.Clone());
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/messages/count_tokens")]
    [InlineData("/V1/unknown")]
    public async Task Unhandled_OnGatewayPath_Is500ApiErrorInAnthropicShape_WithoutDetails(string path)
    {
        var (status, body) = await HandleAsync(path, new InvalidOperationException("secret internals"));

        Assert.Equal(500, status);
        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"Internal server error"}}""", body.GetRawText());
    }

    [Fact]
    public async Task Unhandled_OnAGatewayEndpointOutsideV1_IsInAnthropicShape()
    {
        var endpoint = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(GatewayEndpoint.Instance), "event logging");

        var (status, body) = await HandleAsync("/api/event_logging/batch", new InvalidOperationException("x"), endpoint);

        Assert.Equal(500, status);
        Assert.Equal("api_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ClientMistake_OnGatewayPath_KeepsItsStatusWithTheMatchingType()
    {
        var (status, body) = await HandleAsync("/v1/messages", new BadHttpRequestException("Request body too large.", 413));

        Assert.Equal(413, status);
        Assert.Equal("request_too_large", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unhandled_OnManagementPath_IsTheEnvelope()
    {
        var (status, body) = await HandleAsync("/api/v1/admin/users", new InvalidOperationException("secret internals"));

        Assert.Equal(500, status);
        Assert.Equal(500, body.GetProperty("code").GetInt32());
        Assert.Equal("internal server error", body.GetProperty("message").GetString());
        Assert.Equal("INTERNAL_ERROR", body.GetProperty("reason").GetString());
    }
}
