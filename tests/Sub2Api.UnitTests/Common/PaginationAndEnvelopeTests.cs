using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sub2Api.Common;

namespace Sub2Api.UnitTests.Common;

public sealed class PaginationAndEnvelopeTests
{
    private static PageRequest From(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return PageRequest.From(context.Request);
    }

    [Theory]
    [InlineData("", 1, 20)]
    [InlineData("?page=3&page_size=50", 3, 50)]
    [InlineData("?limit=7", 1, 7)]
    [InlineData("?page_size=5000", 1, 1000)]
    public void From_DefaultsAliasesAndCap(string query, int page, int size)
    {
        var request = From(query);
        Assert.Equal(page, request.Page);
        Assert.Equal(size, request.PageSize);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?page=-1")]
    [InlineData("?page_size=x")]
    public void From_Invalid_Throws400(string query)
    {
        var e = Assert.Throws<ApiException>(() => From(query));
        Assert.Equal(400, e.Status);
    }

    [Theory]
    [InlineData(0, 20, 0)]
    [InlineData(1, 20, 1)]
    [InlineData(20, 20, 1)]
    [InlineData(21, 20, 2)]
    public void Wrap_ComputesPages(long total, int size, int pages) =>
        Assert.Equal(pages, new PageRequest(1, size).Wrap(Array.Empty<int>(), total).Pages);

    [Fact]
    public void Envelope_SerialisesAsTheOriginal()
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);
        var json = JsonSerializer.Serialize(new ApiResponse<PagedResult<int>>(0, "success", new PageRequest(2, 10).Wrap([1, 2], 12)), options);
        Assert.Equal("""{"code":0,"message":"success","data":{"items":[1,2],"total":12,"page":2,"page_size":10,"pages":2}}""", json);
    }

    [Fact]
    public void Error_SerialisesCodeMessageReasonMetadata()
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);
        var json = JsonSerializer.Serialize(new ApiErrorBody(404, "user not found", "NOT_FOUND", null), options);
        Assert.Equal("""{"code":404,"message":"user not found","reason":"NOT_FOUND","metadata":null}""", json);
    }

    [Theory]
    [InlineData("1.000000000000", "1")]
    [InlineData("0.000000000100", "0.0000000001")]
    [InlineData("12.3456789012", "12.3456789012")]
    public void Decimals_AreWrittenExactlyWithoutTrailingZeros(string value, string expected)
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);
        Assert.Equal(expected, JsonSerializer.Serialize(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), options));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            JsonSerializer.Deserialize<decimal>(expected, options));
    }

    [Fact]
    public void Decimals_FromAString_AreRefused()
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<decimal>("\"1.5\"", options));
    }
}
