using BlazorOs.Core.Agents;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>
/// Where memory items are embedded: <c>BLAZOROS_EMBEDDING_MODEL</c> at <c>BLAZOROS_EMBEDDING_ENDPOINT</c> (default: the chat
/// model's <c>BLAZOROS_LLM_ENDPOINT</c>, same key). Without a model, recall is full-text only.
/// </summary>
public sealed record EmbeddingSettings(Uri? Endpoint, string? ApiKey, string? Model)
{
    public static readonly EmbeddingSettings None = new(null, null, null);

    public bool IsConfigured => Endpoint is not null && !string.IsNullOrWhiteSpace(Model);

    public static EmbeddingSettings From(ModelEndpoint model) =>
        new(model.EmbeddingEndpoint ?? model.Endpoint, model.ApiKey, model.EmbeddingModel);
}
