using Microsoft.Extensions.Options;
using Sub2Api.Configuration;

namespace Sub2Api.Billing;

/// <summary>
/// Keeps the price table fresh when Billing:PricingUrl is set: at start the copy saved by an earlier run
/// replaces the built-in table (before the server takes traffic), then the file is downloaded at start and
/// every Billing:PricingRefreshHours. A download replaces the table only when it parses and has at least
/// <see cref="MinEntries"/> models; any failure is logged and the current table stays.
/// </summary>
internal sealed partial class PricingRefresher(
    PricingService pricing,
    IOptions<BillingOptions> options,
    IHttpClientFactory httpClientFactory,
    DataDirectory dataDirectory,
    TimeProvider timeProvider,
    ILogger<PricingRefresher> logger) : BackgroundService
{
    public const string HttpClientName = "Sub2Api.Billing.Pricing";
    public const string SavedFileName = "model_pricing.json";
    public const int MinEntries = 10;
    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(30);

    private readonly BillingOptions _options = options.Value;
    private readonly string _savedFile = dataDirectory.File(SavedFileName);
    private Uri? _url;
    private string _urlForLogs = "";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _url = ParseUrl(_options.PricingUrl);
        if (_url is not null)
        {
            _urlForLogs = Redact(_url);
            LoadSaved();
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_url is null)
        {
            return;
        }
        var period = TimeSpan.FromHours(Math.Max(1, _options.PricingRefreshHours));
        try
        {
            await RefreshAsync(_url, stoppingToken);
            using var timer = new PeriodicTimer(period, timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAsync(_url, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>One download; returns whether the table was replaced.</summary>
    private async Task<bool> RefreshAsync(Uri url, CancellationToken cancellationToken)
    {
        byte[] body;
        PricingTable table;
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            body = await client.GetByteArrayAsync(url, cancellationToken);
            table = PricingTable.Parse(body);
        }
        // Anything but shutdown is logged and swallowed: an exception escaping ExecuteAsync would stop the host.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogDownloadFailed(logger, _urlForLogs, e.GetType().Name, e.Message);
            return false;
        }
        if (table.Count < MinEntries)
        {
            LogTooSmall(logger, _urlForLogs, table.Count, MinEntries);
            return false;
        }
        Save(body);
        pricing.Replace(table);
        LogRefreshed(logger, _urlForLogs, table.Count);
        return true;
    }

    private void LoadSaved()
    {
        if (!File.Exists(_savedFile))
        {
            return;
        }
        try
        {
            var table = PricingTable.Parse(File.ReadAllBytes(_savedFile));
            if (table.Count >= MinEntries)
            {
                pricing.Replace(table);
                LogSavedLoaded(logger, _savedFile, table.Count);
                return;
            }
            LogSavedTooSmall(logger, _savedFile, table.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            LogSavedUnreadable(logger, _savedFile, e.Message);
        }
    }

    private void Save(byte[] body)
    {
        // Write-then-rename so a crash mid-write never leaves a truncated file for the next start.
        var temp = _savedFile + ".tmp";
        try
        {
            File.WriteAllBytes(temp, body);
            File.Move(temp, _savedFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(logger, _savedFile, e.Message);
        }
    }

    private Uri? ParseUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
        {
            return url;
        }
        LogBadUrl(logger);
        return null;
    }

    /// <summary>Scheme, host and path only: a private mirror may carry a token in the query or user info.</summary>
    private static string Redact(Uri url) =>
        url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    // The URL is logged without query or user info; messages carry no response bodies.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Price table download from {Url} failed ({Error}: {Message}); keeping the current table")]
    private static partial void LogDownloadFailed(ILogger logger, string url, string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Price table from {Url} has only {Count} models (minimum {Min}); keeping the current table")]
    private static partial void LogTooSmall(ILogger logger, string url, int count, int min);

    [LoggerMessage(Level = LogLevel.Information, Message = "Price table refreshed from {Url}: {Count} models")]
    private static partial void LogRefreshed(ILogger logger, string url, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded saved price table {File}: {Count} models")]
    private static partial void LogSavedLoaded(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saved price table {File} has only {Count} models; using the built-in table")]
    private static partial void LogSavedTooSmall(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saved price table {File} is unreadable ({Message}); using the built-in table")]
    private static partial void LogSavedUnreadable(ILogger logger, string file, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the price table to {File}: {Message}")]
    private static partial void LogSaveFailed(ILogger logger, string file, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Billing:PricingUrl is not an absolute http(s) URL; price refresh is off")]
    private static partial void LogBadUrl(ILogger logger);
}
