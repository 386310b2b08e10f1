using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Sub2Api.Infrastructure.Logging;

namespace Microsoft.Extensions.Logging;

internal static class SecretRedactionLoggingBuilderExtensions
{
    /// <summary>
    /// Every log entry of the application — ours, ASP.NET Core's, Kestrel's, HttpClient's, EF Core's, at any
    /// level and to any provider — goes through <see cref="SecretRedactor"/> before it is written: URLs with
    /// <c>?key=</c>, credential headers, tokens.
    /// </summary>
    public static ILoggingBuilder AddSecretRedaction(this ILoggingBuilder logging)
    {
        logging.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(services => new RedactingLoggerFactory(new LoggerFactory(
            services.GetServices<ILoggerProvider>(),
            services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            services.GetService<IOptions<LoggerFactoryOptions>>(),
            services.GetService<IExternalScopeProvider>()))));
        return logging;
    }
}
