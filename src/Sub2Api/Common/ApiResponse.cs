using System.Text.Json.Serialization;

namespace Sub2Api.Common;

/// <summary>The management API envelope: <c>{"code":0,"message":"success","data":…}</c>.</summary>
internal sealed record ApiResponse<T>(int Code, string Message, T Data);

/// <summary>The management API error: <c>{"code":&lt;http&gt;,"message","reason","metadata"}</c>.</summary>
internal sealed record ApiErrorBody(
    int Code,
    string Message,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyDictionary<string, string>? Metadata);

internal static class Api
{
    public static IResult Ok<T>(T data) => TypedResults.Ok(new ApiResponse<T>(0, "success", data));

    public static IResult Error(int status, string reason, string message, IReadOnlyDictionary<string, string>? metadata = null) =>
        TypedResults.Json(new ApiErrorBody(status, message, reason, metadata), statusCode: status);

    public static IResult BadRequest(string message, string reason = "VALIDATION_ERROR") => Error(400, reason, message);
    public static IResult NotFound(string message, string reason = "NOT_FOUND") => Error(404, reason, message);
    public static IResult Conflict(string message, string reason = "CONFLICT") => Error(409, reason, message);
    public static IResult Unauthorized(string message, string reason = "UNAUTHORIZED") => Error(401, reason, message);
    public static IResult Forbidden(string message, string reason = "FORBIDDEN") => Error(403, reason, message);
}

/// <summary>
/// A client mistake found deep in a helper (for example while reading a body). The exception handler turns it
/// into the error envelope; handlers themselves return <see cref="Api.Error"/> results.
/// </summary>
internal sealed class ApiException(int status, string reason, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Reason { get; } = reason;

    public static ApiException BadRequest(string message) => new(400, "VALIDATION_ERROR", message);
}
