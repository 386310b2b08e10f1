using System.Text.Json;
using Sub2Api.Data.Entities;

namespace Sub2Api.UserAttributes;

/// <summary>One choice of a select or multi_select attribute.</summary>
internal sealed record UserAttributeOption(string? Value, string? Label);

/// <summary>Rules a value must meet when written; every field optional.</summary>
internal sealed record UserAttributeValidation(
    int? MinLength,
    int? MaxLength,
    decimal? Min,
    decimal? Max,
    string? Pattern,
    string? Message)
{
    public static readonly UserAttributeValidation None = new(null, null, null, null, null, null);
}

/// <summary>Body of <c>POST</c>/<c>PUT /admin/user-attributes</c>; on update a missing field keeps its value and the key never changes.</summary>
internal sealed record UserAttributeDefinitionRequest(
    string? Key,
    string? Name,
    string? Description,
    string? Type,
    IReadOnlyList<UserAttributeOption>? Options,
    bool? Required,
    UserAttributeValidation? Validation,
    string? Placeholder,
    bool? Enabled);

internal sealed record UserAttributeDefinitionDto(
    long Id,
    string Key,
    string Name,
    string Description,
    string Type,
    IReadOnlyList<UserAttributeOption> Options,
    bool Required,
    UserAttributeValidation Validation,
    string Placeholder,
    int DisplayOrder,
    bool Enabled,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static UserAttributeDefinitionDto From(UserAttributeDefinition d) => new(d.Id, d.Key, d.Name, d.Description, d.Type,
        UserAttributeStorage.Options(d), d.Required, UserAttributeStorage.Validation(d), d.Placeholder, d.DisplayOrder, d.Enabled,
        d.CreatedAt, d.UpdatedAt);
}

internal sealed record UserAttributeValueDto(long Id, long UserId, long AttributeId, string Value, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UserAttributeValueDto From(UserAttributeValue v) => new(v.Id, v.UserId, v.AttributeId, v.Value, v.CreatedAt, v.UpdatedAt);
}

/// <summary><c>{"ids":[…]}</c>: the new order, first id first.</summary>
internal sealed record ReorderUserAttributesRequest(IReadOnlyList<long>? Ids);

/// <summary><c>{"user_ids":[…]}</c>.</summary>
internal sealed record BatchUserAttributesRequest(IReadOnlyList<long>? UserIds);

/// <summary>
/// <c>{"values":{"&lt;attribute id or key&gt;": value}}</c>. A value is a string (a number is taken as its text), an array of
/// strings for multi_select, or empty / null to remove it.
/// </summary>
internal sealed record UpdateUserAttributeValuesRequest(IReadOnlyDictionary<string, JsonElement>? Values);
