using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sub2Api.FunctionalTests.Infrastructure;

namespace Sub2Api.FunctionalTests.UserAttributes;

public sealed class UserAttributesApiTests
{
    private const string Path = "/api/v1/admin/user-attributes";

    private static async Task<long> DefineAsync(ApiClient admin, object body) =>
        (await admin.PostAsync(Path, body)).Data.GetProperty("id").GetInt64();

    private static async Task<List<string>> KeysAsync(ApiClient admin, string query = "") =>
        (await admin.GetAsync(Path + query)).Data.EnumerateArray().Select(d => d.GetProperty("key").GetString()!).ToList();

    [Fact]
    public async Task Definitions_CreateListUpdateDelete()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var created = (await admin.PostAsync(Path, new
        {
            key = "company",
            name = "Company",
            description = "Where they work",
            type = "text",
            required = true,
            validation = new { min_length = 2, max_length = 50 },
            placeholder = "ACME",
        })).Data;
        Assert.Equal("company", created.GetProperty("key").GetString());
        Assert.Equal("text", created.GetProperty("type").GetString());
        Assert.True(created.GetProperty("required").GetBoolean());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, created.GetProperty("display_order").GetInt32());
        Assert.Equal(50, created.GetProperty("validation").GetProperty("max_length").GetInt32());
        Assert.Equal(0, created.GetProperty("options").GetArrayLength());
        var id = created.GetProperty("id").GetInt64();

        var tier = (await admin.PostAsync(Path, new
        {
            key = "tier",
            name = "Tier",
            type = "select",
            options = new[] { new { value = "a", label = "Alpha" }, new { value = "b", label = "" } },
            enabled = false,
        })).Data;
        Assert.Equal(1, tier.GetProperty("display_order").GetInt32());
        Assert.Equal("b", tier.GetProperty("options")[1].GetProperty("label").GetString());
        Assert.Equal(["company", "tier"], await KeysAsync(admin));
        Assert.Equal(["company"], await KeysAsync(admin, "?enabled=true"));
        (await admin.GetAsync($"{Path}?enabled=yes")).ShouldFail(HttpStatusCode.BadRequest);

        var updated = (await admin.PutAsync($"{Path}/{id}", new { name = "Employer", required = false, enabled = false })).Data;
        Assert.Equal("Employer", updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("required").GetBoolean());
        Assert.Equal("Where they work", updated.GetProperty("description").GetString());
        Assert.Contains("key cannot be changed", (await admin.PutAsync($"{Path}/{id}", new { key = "other" })).ShouldFail(HttpStatusCode.BadRequest).Message);

        _ = (await admin.DeleteAsync($"{Path}/{id}")).Data;
        Assert.Equal(["tier"], await KeysAsync(admin));
        Assert.NotNull(await app.WithDbAsync(db => db.UserAttributeDefinitions.IgnoreQueryFilters().Where(d => d.Id == id).Select(d => d.DeletedAt).SingleAsync()));
        // The key of a deleted definition is free again.
        _ = await DefineAsync(admin, new { key = "company", name = "Company again", type = "text" });
        Assert.Contains("already exists", (await admin.PostAsync(Path, new { key = "company", name = "dup", type = "text" })).ShouldFail(HttpStatusCode.Conflict).Message);
    }

    [Fact]
    public async Task Definitions_InvalidInputIs400()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        (string Body, string Expected)[] cases =
        [
            ("""{"key":"Bad-Key","name":"n","type":"text"}""", "key must start with a lowercase letter"),
            ($$"""{"key":"{{new string('a', 65)}}","name":"n","type":"text"}""", "key must start with a lowercase letter"),
            ("""{"name":"n","type":"text"}""", "key is required"),
            ("""{"key":"k","type":"text"}""", "name is required"),
            ("""{"key":"k","name":"n","type":"color"}""", "type must be one of"),
            ("""{"key":"k","name":"n"}""", "type must be one of"),
            ("""{"key":"k","name":"n","type":"select"}""", "options are required for a select"),
            ("""{"key":"k","name":"n","type":"multi_select","options":[{"value":"a"},{"value":"a"}]}""", "appears twice"),
            ("""{"key":"k","name":"n","type":"select","options":[{"value":" "}]}""", "every option needs a value"),
            ("""{"key":"k","name":"n","type":"text","validation":{"pattern":"(unclosed"}}""", "not a valid regular expression"),
            ("""{"key":"k","name":"n","type":"number","validation":{"min":10,"max":1}}""", "min must not exceed max"),
            ("""{"key":"k","name":"n","type":"text","validation":{"min_length":-1}}""", "min_length and max_length"),
            ("""{"key":"k","name":"n","type":"text","validation":{"min_length":9,"max_length":3}}""", "min_length must not exceed"),
        ];
        foreach (var (body, expected) in cases)
        {
            var result = (await admin.SendRawAsync(HttpMethod.Post, Path, body)).ShouldFail(HttpStatusCode.BadRequest);
            Assert.True(result.Message.Contains(expected, StringComparison.Ordinal), $"{body} → {result.Message}");
        }
        Assert.Empty(await KeysAsync(admin));

        var id = await DefineAsync(admin, new { key = "k", name = "n", type = "text" });
        Assert.Contains("options are required", (await admin.PutAsync($"{Path}/{id}", new { type = "select" })).ShouldFail(HttpStatusCode.BadRequest).Message);
        (await admin.PutAsync($"{Path}/999", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Path}/999")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{Path}/abc", new { name = "x" })).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Reorder_SetsDisplayOrderByPosition()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var a = await DefineAsync(admin, new { key = "a", name = "A", type = "text" });
        var b = await DefineAsync(admin, new { key = "b", name = "B", type = "text" });
        var c = await DefineAsync(admin, new { key = "c", name = "C", type = "text" });
        _ = (await admin.PutAsync($"{Path}/reorder", new { ids = new[] { c, a, b } })).Data;
        Assert.Equal(["c", "a", "b"], await KeysAsync(admin));
        (await admin.PutAsync($"{Path}/reorder", new { ids = new[] { c, 999 } })).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync($"{Path}/reorder", new { ids = new[] { c, c } })).ShouldFail(HttpStatusCode.BadRequest);
        (await admin.PutAsync($"{Path}/reorder", new { })).ShouldFail(HttpStatusCode.BadRequest);
        Assert.Equal(["c", "a", "b"], await KeysAsync(admin));
    }

    [Fact]
    public async Task UserValues_AreValidatedStoredAndReadBack()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.CreateUserAsync("attr@example.com");
        var (_, otherId) = await app.CreateUserAsync("attr2@example.com");
        var company = await DefineAsync(admin, new { key = "company", name = "Company", type = "text", required = true, validation = new { max_length = 10 } });
        var age = await DefineAsync(admin, new { key = "age", name = "Age", type = "number", validation = new { min = 18, max = 120 } });
        var email = await DefineAsync(admin, new { key = "work_email", name = "Work email", type = "email" });
        var site = await DefineAsync(admin, new { key = "site", name = "Site", type = "url" });
        var born = await DefineAsync(admin, new { key = "born", name = "Born", type = "date" });
        var plan = await DefineAsync(admin, new { key = "plan", name = "Plan", type = "select", options = new[] { new { value = "pro", label = "Pro" } } });
        var tags = await DefineAsync(admin, new { key = "tags", name = "Tags", type = "multi_select", options = new[] { new { value = "x", label = "X" }, new { value = "y", label = "Y" } } });
        var code = await DefineAsync(admin, new { key = "code", name = "Code", type = "text", validation = new { pattern = "^[A-Z]{3}$", message = "three capitals" } });
        var hidden = await DefineAsync(admin, new { key = "hidden", name = "Hidden", type = "text", enabled = false });
        var values = $"/api/v1/admin/users/{userId}/attributes";

        var saved = (await admin.PutAsync(values, new
        {
            values = new Dictionary<string, object>
            {
                [company.ToString()] = "ACME",
                ["age"] = 30,
                [email.ToString()] = "me@acme.test",
                ["site"] = "https://acme.test",
                [born.ToString()] = "1990-01-31",
                ["plan"] = "pro",
                ["tags"] = new[] { "y", "x" },
                ["code"] = "ABC",
            },
        })).Data;
        var byAttribute = saved.EnumerateArray().ToDictionary(v => v.GetProperty("attribute_id").GetInt64(), v => v.GetProperty("value").GetString());
        Assert.Equal("ACME", byAttribute[company]);
        Assert.Equal("30", byAttribute[age]);
        Assert.Equal("""["y","x"]""", byAttribute[tags]);
        Assert.Equal(8, byAttribute.Count);
        Assert.Equal(saved.GetRawText(), (await admin.GetAsync(values)).Data.GetRawText());

        (string Key, object Value, string Expected)[] bad =
        [
            ("age", 17, "Age must be at least 18"),
            ("age", "old", "Age must be a number"),
            ("work_email", "not-an-email", "Work email is not a valid email"),
            ("site", "ftp://acme.test", "Site must be an http(s) URL"),
            ("born", "31/01/1990", "Born must be a date"),
            ("plan", "free", "Plan: invalid option"),
            ("tags", new[] { "x", "z" }, "Tags: invalid option z"),
            ("code", "abc", "three capitals"),
            ("company", "much too long company", "Company must be at most 10 characters"),
            ("company", "", "Company is required"),
            ("hidden", "v", "does not exist or is disabled"),
            ("nope", "v", "does not exist or is disabled"),
            ("99999", "v", "does not exist or is disabled"),
        ];
        foreach (var (key, value, expected) in bad)
        {
            var result = (await admin.PutAsync(values, new { values = new Dictionary<string, object> { [key] = value } })).ShouldFail(HttpStatusCode.BadRequest);
            Assert.True(result.Message.Contains(expected, StringComparison.Ordinal), $"{key}={value} → {result.Message}");
        }
        Assert.Equal(saved.GetRawText(), (await admin.GetAsync(values)).Data.GetRawText());

        // A required attribute must be present for a user who has none yet.
        var other = $"/api/v1/admin/users/{otherId}/attributes";
        Assert.Contains("Company is required", (await admin.PutAsync(other, new { values = new { plan = "pro" } })).ShouldFail(HttpStatusCode.BadRequest).Message);

        // An empty value removes it.
        var cleared = (await admin.PutAsync(values, new { values = new Dictionary<string, object?> { ["plan"] = "", ["tags"] = null } })).Data;
        Assert.Equal(6, cleared.GetArrayLength());

        var batch = (await admin.PostAsync($"{Path}/batch", new { user_ids = new[] { userId, otherId, 424242 } })).Data.GetProperty("attributes");
        Assert.Equal("ACME", batch.GetProperty(userId.ToString()).GetProperty(company.ToString()).GetString());
        Assert.False(batch.TryGetProperty(otherId.ToString(), out _));
        Assert.Empty((await admin.PostAsync($"{Path}/batch", new { user_ids = Array.Empty<long>() })).Data.GetProperty("attributes").EnumerateObject());
        (await admin.PostAsync($"{Path}/batch", new { })).ShouldFail(HttpStatusCode.BadRequest);

        // Deleting a definition removes every user's value for it.
        _ = (await admin.DeleteAsync($"{Path}/{code}")).Data;
        Assert.False(await app.WithDbAsync(db => db.UserAttributeValues.AnyAsync(v => v.AttributeId == code)));
    }

    [Fact]
    public async Task CatastrophicPattern_IsCutOffByTheTimeout_AndStoredValuesFitTheColumn()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var (_, userId) = await app.CreateUserAsync("regex@example.com");
        _ = await DefineAsync(admin, new { key = "evil", name = "Evil", type = "text", validation = new { pattern = "^(a+)+$" } });
        var watch = Stopwatch.StartNew();
        var result = (await admin.PutAsync($"/api/v1/admin/users/{userId}/attributes", new { values = new { evil = new string('a', 40) + "!" } }))
            .ShouldFail(HttpStatusCode.BadRequest);
        Assert.Contains("pattern", result.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        // A comma-separated multi_select value grows when stored as a JSON array: the stored form must fit the column.
        var options = Enumerable.Range(0, 100).Select(i => new { value = $"{i:D3}{new string('o', 36)}", label = "" }).ToArray();
        _ = await DefineAsync(admin, new { key = "many", name = "Many", type = "multi_select", options });
        var all = string.Join(',', options.Select(o => o.value));
        Assert.True(all.Length <= 4000);
        Assert.Contains("at most 4000 characters", (await admin.PutAsync($"/api/v1/admin/users/{userId}/attributes", new { values = new { many = all } }))
            .ShouldFail(HttpStatusCode.BadRequest).Message);
    }

    [Fact]
    public async Task UnknownUser_Is404_AndUserIsForbiddenEverywhere()
    {
        await using var app = new Sub2ApiFactory();
        var admin = await app.AdminAsync();
        var id = await DefineAsync(admin, new { key = "k", name = "n", type = "text" });
        (await admin.GetAsync("/api/v1/admin/users/999999/attributes")).ShouldFail(HttpStatusCode.NotFound);
        (await admin.PutAsync("/api/v1/admin/users/999999/attributes", new { values = new { k = "v" } })).ShouldFail(HttpStatusCode.NotFound);

        var (user, userId) = await app.CreateUserAsync("nosy@example.com");
        (await admin.PutAsync($"/api/v1/admin/users/{userId}/attributes", new { })).ShouldFail(HttpStatusCode.BadRequest);
        (await user.GetAsync(Path)).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync(Path, new { key = "x", name = "x", type = "text" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync($"{Path}/{id}", new { name = "x" })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.DeleteAsync($"{Path}/{id}")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync($"{Path}/reorder", new { ids = new[] { id } })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PostAsync($"{Path}/batch", new { user_ids = new[] { userId } })).ShouldFail(HttpStatusCode.Forbidden);
        (await user.GetAsync($"/api/v1/admin/users/{userId}/attributes")).ShouldFail(HttpStatusCode.Forbidden);
        (await user.PutAsync($"/api/v1/admin/users/{userId}/attributes", new { values = new { k = "v" } })).ShouldFail(HttpStatusCode.Forbidden);
        Assert.Equal("n", (await admin.GetAsync(Path)).Data[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, (await admin.GetAsync($"/api/v1/admin/users/{userId}/attributes")).Data.ValueKind);
    }
}
