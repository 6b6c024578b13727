namespace BlazorOs.Core.Memory;

public enum ProvenanceSource
{
    Operator = 0,
    Agent = 1,
    Connector = 2,
    Import = 3,

    /// <summary>Written through the HTTP API with an API key; the actor is the operator, the detail names the key.</summary>
    Api = 4,

    /// <summary>Written by BlazorOs itself: condensation and retention. The actor names the job, the detail the method.</summary>
    System = 5,
}

/// <summary>Where a memory item came from: who or what wrote it, in which run and step, and when.</summary>
public sealed class Provenance
{
    private Provenance(Guid id, ProvenanceSource source, string actor, DateTime at)
    {
        Id = id;
        Source = source;
        Actor = actor;
        At = at;
    }

    public Guid Id { get; private set; }
    public ProvenanceSource Source { get; private set; }

    /// <summary>Who acted: <c>operator</c>, an API key's name, a model id, a connector name.</summary>
    public string Actor { get; private set; }

    public Guid? RunId { get; private set; }
    public string? NodeId { get; private set; }
    public string? Detail { get; private set; }
    public DateTime At { get; private set; }

    public static Provenance Of(ProvenanceSource source, string actor, DateTime at, Guid? runId = null,
        string? nodeId = null, string? detail = null) =>
        new(Guid.CreateVersion7(), source, actor, at) { RunId = runId, NodeId = nodeId, Detail = detail };
}
