namespace Sub2Api.Ops.ErrorLog;

/// <summary>Section "Ops:ErrorLog": how the ops error log is kept (how long is a runtime setting, see OpsErrorRetention).</summary>
internal sealed class OpsErrorLogOptions
{
    public const string Section = "Ops:ErrorLog";

    /// <summary>How often the retention job deletes rows past <c>ops_error_log_retention_days</c>.</summary>
    public double RetentionIntervalSeconds { get; set; } = 3600;

    /// <summary>Rows per DELETE, so one run never holds a long lock on a large table.</summary>
    public int RetentionChunkSize { get; set; } = 5000;
}
