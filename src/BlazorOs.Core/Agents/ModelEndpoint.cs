namespace BlazorOs.Core.Agents;

/// <summary>
/// The OpenAI-compatible endpoint agent steps talk to (OpenAI, Azure OpenAI, Ollama, LM Studio, vLLM).
/// With no endpoint, agent steps become operator tasks instead of fake answers.
/// </summary>
/// <param name="Endpoint">Base URL, e.g. <c>https://api.openai.com/v1</c> or <c>http://127.0.0.1:11434/v1</c>.</param>
/// <param name="ApiKey">Secret for the endpoint; local servers such as Ollama need none.</param>
/// <param name="TaskModel">Model for routine steps (the <c>task</c> tier).</param>
/// <param name="PlannerModel">Model for heavy reasoning (the <c>planner</c> tier); defaults to the task model.</param>
public sealed record ModelEndpoint(Uri? Endpoint, string? ApiKey, string? TaskModel, string? PlannerModel)
{
    public static readonly ModelEndpoint None = new(null, null, null, null);

    /// <summary>The embeddings model for memory recall by meaning (<c>BLAZOROS_EMBEDDING_MODEL</c>); none: full text only.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>Another base URL for embeddings (<c>BLAZOROS_EMBEDDING_ENDPOINT</c>); default <see cref="Endpoint"/>.</summary>
    public Uri? EmbeddingEndpoint { get; init; }

    public bool IsConfigured => Endpoint is not null && !string.IsNullOrWhiteSpace(TaskModel);

    public string? ModelFor(ModelTier tier) => tier == ModelTier.Planner ? PlannerModel ?? TaskModel : TaskModel;
}

public enum ModelTier
{
    Task = 0,
    Planner = 1,
}
