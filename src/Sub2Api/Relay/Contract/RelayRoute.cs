namespace Sub2Api.Relay;

/// <summary>
/// A relayed route: what it is for (<see cref="Operation"/>, which a provider says it serves), the API its clients
/// speak (<see cref="Dialect"/>, <see cref="Parser"/>), and the platform of keys without a group.
/// </summary>
internal sealed record RelayRoute(string Operation, IClientDialect Dialect, IRequestParser Parser, string DefaultPlatform)
{
    /// <summary>The route's path as clients call it, for messages that name it.</summary>
    public string Path { get; init; } = "";
}

/// <summary>Gateway routes a provider adds (its relay routes and any small extras its clients call).</summary>
internal interface IGatewayRoutes
{
    void Map(IEndpointRouteBuilder gateway);
}
