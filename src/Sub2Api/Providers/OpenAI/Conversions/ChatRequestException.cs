namespace Sub2Api.Providers.OpenAI.Conversions;

/// <summary>
/// A Chat Completions request that cannot be converted. Thrown deep inside the converters (where threading an
/// error result through every helper would bury the mapping) and caught once by
/// <see cref="ChatToResponsesRequest.Convert"/>, which turns it into the client's 400 message.
/// </summary>
internal sealed class ChatRequestException : Exception
{
    public ChatRequestException()
    {
    }

    public ChatRequestException(string message) : base(message)
    {
    }

    public ChatRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
