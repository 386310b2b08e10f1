namespace Sub2Api.Providers.Anthropic;

/// <summary>The <c>error.type</c> Anthropic's API uses for an HTTP status, for errors the gateway makes itself.</summary>
internal static class AnthropicErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string NotFound = "not_found_error";
    public const string Api = "api_error";

    /// <summary>Anthropic has no type of its own for 405: a wrong method is a request the client must change.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 or 405 or 415 or 422 => InvalidRequest,
        401 => "authentication_error",
        403 => "permission_error",
        404 => NotFound,
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => Api,
    };
}
