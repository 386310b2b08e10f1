using System.Text.Json;
using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserAttributes;

/// <summary>The JSON columns of a definition (options, validation), read back leniently.</summary>
internal static class UserAttributeStorage
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonDefaults.Apply(options);
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        return options;
    }

    public static IReadOnlyList<UserAttributeOption> Options(UserAttributeDefinition d) =>
        Read<List<UserAttributeOption>>(d.Options) ?? [];

    public static UserAttributeValidation Validation(UserAttributeDefinition d) =>
        Read<UserAttributeValidation>(d.Validation) ?? UserAttributeValidation.None;

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static T? Read<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
