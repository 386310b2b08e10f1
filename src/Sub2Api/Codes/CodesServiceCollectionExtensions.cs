using Sub2Api.Codes;

namespace Microsoft.Extensions.DependencyInjection;

internal static class CodesServiceCollectionExtensions
{
    /// <summary>Redeem, promo and invitation codes.</summary>
    public static IServiceCollection AddCodes(this IServiceCollection services) => services
        .AddSingleton<RegistrationCodes>()
        .AddScoped<CodeRedeemer>();
}
