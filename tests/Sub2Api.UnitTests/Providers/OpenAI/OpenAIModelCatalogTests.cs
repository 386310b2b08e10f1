using System.Text.Json;
using Sub2Api.Billing;
using Sub2Api.Providers.OpenAI;

namespace Sub2Api.UnitTests.Providers.OpenAI;

public sealed class OpenAIModelCatalogTests
{
    [Fact]
    public void DefaultModels_AllHaveAnExactPrice()
    {
        var prices = PricingTable.LoadBuiltIn();

        Assert.All(OpenAIModelCatalog.DefaultModels, id => Assert.Equal("exact", prices.Explain(id).MatchedBy));
        Assert.Equal(OpenAIModelCatalog.DefaultModels.Count, OpenAIModelCatalog.DefaultModels.Distinct().Count());
    }

    [Fact]
    public void DefaultModels_CodexSetSurvivesNormalisation()
    {
        foreach (var id in OpenAIModelCatalog.DefaultModels.Where(id => id.StartsWith("gpt-5.", StringComparison.Ordinal)))
        {
            Assert.Equal(id, CodexModels.Normalize(id));
        }
    }

    [Fact]
    public void OpenAIList_HasTheListShape()
    {
        using var document = JsonDocument.Parse(OpenAIModelCatalog.OpenAIList(["gpt-5.1", "gpt-4.1"]));

        var root = document.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        var data = root.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["gpt-5.1", "gpt-4.1"], data.Select(m => m.GetProperty("id").GetString()).ToArray());
        Assert.All(data, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.Equal("openai", m.GetProperty("owned_by").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 0);
        });
    }

    [Fact]
    public void CodexDiscovery_EveryEntryHasTheFieldsCodexRequires()
    {
        using var document = JsonDocument.Parse(OpenAIModelCatalog.CodexDiscovery(["gpt-5.1-codex", "gpt-5.1"]));

        var models = document.RootElement.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(["gpt-5.1-codex", "gpt-5.1"], models.Select(m => m.GetProperty("slug").GetString()).ToArray());
        Assert.Equal([0, 1], models.Select(m => m.GetProperty("priority").GetInt32()).ToArray());
        foreach (var model in models)
        {
            Assert.Equal(JsonValueKind.String, model.GetProperty("display_name").ValueKind);
            Assert.NotEmpty(model.GetProperty("supported_reasoning_levels").EnumerateArray());
            Assert.All(model.GetProperty("supported_reasoning_levels").EnumerateArray(), level =>
            {
                Assert.Contains(level.GetProperty("effort").GetString(), new[] { "low", "medium", "high" });
                Assert.Equal(JsonValueKind.String, level.GetProperty("description").ValueKind);
            });
            Assert.Equal("shell_command", model.GetProperty("shell_type").GetString());
            Assert.Equal("list", model.GetProperty("visibility").GetString());
            Assert.Equal(JsonValueKind.True, model.GetProperty("supported_in_api").ValueKind);
            Assert.Equal(OpenAIModelCatalog.CodexBaseInstructions, model.GetProperty("base_instructions").GetString());
            Assert.Equal(JsonValueKind.True, model.GetProperty("supports_reasoning_summaries").ValueKind);
            Assert.Equal(JsonValueKind.False, model.GetProperty("support_verbosity").ValueKind);
            Assert.Equal("tokens", model.GetProperty("truncation_policy").GetProperty("mode").GetString());
            Assert.Equal(JsonValueKind.Number, model.GetProperty("truncation_policy").GetProperty("limit").ValueKind);
            Assert.Equal(JsonValueKind.True, model.GetProperty("supports_parallel_tool_calls").ValueKind);
            Assert.Equal(JsonValueKind.Array, model.GetProperty("experimental_supported_tools").ValueKind);
        }
    }

    [Fact]
    public void CodexDiscovery_NoIds_IsAnEmptyModelsArray()
    {
        using var document = JsonDocument.Parse(OpenAIModelCatalog.CodexDiscovery([]));

        Assert.Empty(document.RootElement.GetProperty("models").EnumerateArray());
    }
}
