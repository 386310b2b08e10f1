namespace Sub2Api.Data.Entities;

/// <summary>
/// A global rule deciding what a client sees when an upstream error is answered to it: which upstream statuses
/// and/or keywords it matches, and whether the client gets the upstream's status and message or chosen ones.
/// Lower <see cref="Priority"/> is tried first.
/// </summary>
internal sealed class ErrorPassthroughRule : ITimestamped
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;
    public int Priority { get; set; }
    public List<int> ErrorCodes { get; set; } = [];
    public List<string> Keywords { get; set; } = [];
    /// <summary>"any": a listed status or a keyword matches; "all": a listed status and a keyword must both match.</summary>
    public string MatchMode { get; set; } = "any";
    /// <summary>Empty: every platform.</summary>
    public List<string> Platforms { get; set; } = [];
    public bool PassthroughCode { get; set; } = true;
    public int? ResponseCode { get; set; }
    public bool PassthroughBody { get; set; } = true;
    public string? CustomMessage { get; set; }
    public bool SkipMonitoring { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
