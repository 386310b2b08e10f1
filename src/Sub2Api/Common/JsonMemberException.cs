using System.Text.Json;

namespace Sub2Api.Common;

/// <summary>
/// A bad value inside raw JSON a handler reads itself, naming the member of that object it sits in: the
/// serializer's own path stops at the raw value, so the error envelope adds this member to it.
/// </summary>
internal sealed class JsonMemberException(string member) : JsonException($"invalid value for field '{member}'")
{
    public string Member { get; } = member;
}
