using Sub2Api.Settings;

namespace Sub2Api.Ops.ErrorLog;

/// <summary>
/// Keeps <see cref="OpsBodyCapture.Enabled"/> equal to the <c>ops_capture_request_body</c> setting: read at start,
/// then after every settings write, so the relay checks a field instead of the settings store.
/// </summary>
internal sealed class OpsBodyCaptureSync(SettingsStore settings, OpsBodyCapture capture) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        settings.Changed += Apply;
        Apply(await settings.GetAllAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        settings.Changed -= Apply;
        return Task.CompletedTask;
    }

    private void Apply(IReadOnlyDictionary<string, string> values) =>
        capture.Enabled = values.TryGetValue(SettingDefinitions.OpsCaptureRequestBody, out var value) && value == "true";
}
