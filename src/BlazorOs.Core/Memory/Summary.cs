namespace BlazorOs.Core.Memory;

/// <summary>How a summary was made.</summary>
public enum SummaryMethod
{
    /// <summary>Written by the task model; <see cref="Summary.Model"/> and <see cref="Summary.CostMicros"/> say which and at what cost.</summary>
    Model = 0,

    /// <summary>No model was configured (or it failed): sentences picked from the sources as they are, decisions and outcomes first.</summary>
    Extractive = 1,
}

/// <summary>
/// Condensed text standing in for older detail (a run's trace events, chatter) that retention prunes: it keeps the
/// decision rationales and outcomes. Says what period and how many sources it covers, and how it was made.
/// </summary>
public sealed class Summary
{
    public const int TitleMaxLength = 500;
    public const int TextMaxLength = 16000;

    private Summary(Guid id, string title, string text, string scope, Guid provenanceId, DateTime createdAt)
    {
        Id = id;
        Title = title;
        Text = text;
        Scope = scope;
        ProvenanceId = provenanceId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; }
    public string Text { get; private set; }

    /// <summary>The time the sources span.</summary>
    public DateTime PeriodFrom { get; private set; }

    public DateTime PeriodTo { get; private set; }

    /// <summary>What was condensed: a source kind such as <c>trace</c>.</summary>
    public string SourceType { get; private set; } = MemoryItemTypes.Trace;

    /// <summary>How many source items (e.g. trace events) the summary stands for.</summary>
    public int SourceCount { get; private set; }

    /// <summary>The run it condenses, when it condenses one; a plain id, not a key: the run may be deleted later.</summary>
    public Guid? RunId { get; private set; }

    public SummaryMethod Method { get; private set; }

    /// <summary>The model that wrote it (method model).</summary>
    public string? Model { get; private set; }

    public long CostMicros { get; private set; }
    public string? Currency { get; private set; }
    public string Scope { get; private set; }
    public Guid ProvenanceId { get; private set; }
    public Provenance? Provenance { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public static Summary Create(string title, string text, DateTime periodFrom, DateTime periodTo, string sourceType, int sourceCount,
        SummaryMethod method, string scope, Provenance provenance, Guid? runId = null, string? model = null, long costMicros = 0,
        string? currency = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceCount);
        ArgumentOutOfRangeException.ThrowIfNegative(costMicros);
        var body = MemoryText.Required(text, int.MaxValue, nameof(text));
        return new Summary(Guid.CreateVersion7(), MemoryText.Required(title.Length <= TitleMaxLength ? title : title[..TitleMaxLength], TitleMaxLength, nameof(title)),
            body.Length <= TextMaxLength ? body : body[..(TextMaxLength - 1)] + "…", MemoryText.Scope(scope), provenance.Id, provenance.At)
        {
            PeriodFrom = periodFrom,
            PeriodTo = periodTo,
            SourceType = sourceType,
            SourceCount = sourceCount,
            RunId = runId,
            Method = method,
            Model = model,
            CostMicros = costMicros,
            Currency = currency,
            Provenance = provenance,
        };
    }
}
