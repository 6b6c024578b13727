using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;

namespace BlazorOs.Core.Memory.Vectors;

/// <summary>An embeddings endpoint answered with something we cannot use; the message says what.</summary>
public sealed class EmbeddingException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The endpoint refused the input itself (400, 413 or 422: a text too long, say), not the service being down: the same
    /// texts will fail again, so the caller should find the one at fault rather than retry them all.
    /// </summary>
    public bool RejectedInput => InnerException is System.ClientModel.ClientResultException { Status: 400 or 413 or 422 };
}

/// <summary>
/// Embeds texts through Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the OpenAI SDK's
/// embeddings client (any OpenAI-compatible <c>/embeddings</c>: OpenAI, Ollama, vLLM, LM Studio). Every answer is checked
/// before it is stored: one vector per text, all of one length, finite and not zero; each is returned at unit length.
/// </summary>
public sealed class MemoryEmbedder : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator;

    public MemoryEmbedder(EmbeddingSettings settings)
    {
        Settings = settings;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseCookies = false })
        {
            Timeout = Timeout,
        };
        if (settings.IsConfigured)
        {
            // No SDK retries: the indexer retries a failed batch on its next pass, and a search falls back to full text.
            var client = new EmbeddingClient(settings.Model!, new ApiKeyCredential(settings.ApiKey ?? "none"), new OpenAIClientOptions
            {
                Endpoint = settings.Endpoint,
                Transport = new HttpClientPipelineTransport(_http),
                RetryPolicy = new ClientRetryPolicy(0),
            });
            _generator = client.AsIEmbeddingGenerator();
        }
    }

    public EmbeddingSettings Settings { get; }

    public bool IsConfigured => _generator is not null;

    /// <summary>
    /// One unit vector per text, in order. <paramref name="dimensions"/>, when known (the length of the vectors already
    /// stored for this model), must match. Throws <see cref="EmbeddingException"/> for any failure but cancellation.
    /// </summary>
    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, int? dimensions, CancellationToken cancellationToken)
    {
        if (_generator is null)
        {
            throw new EmbeddingException("no embeddings model configured (BLAZOROS_EMBEDDING_MODEL)");
        }

        if (texts.Count == 0)
        {
            return [];
        }

        GeneratedEmbeddings<Embedding<float>> answer;
        try
        {
            answer = await _generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new EmbeddingException($"the embeddings endpoint {Settings.Endpoint} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }

        if (answer.Count != texts.Count)
        {
            throw new EmbeddingException($"the embeddings endpoint returned {answer.Count} vectors for {texts.Count} texts");
        }

        var expected = dimensions ?? answer[0].Vector.Length;
        var vectors = new List<float[]>(answer.Count);
        foreach (var embedding in answer)
        {
            if (embedding.Vector.Length != expected)
            {
                throw new EmbeddingException(
                    $"the embeddings endpoint returned a vector of {embedding.Vector.Length} dimensions where {expected} were expected");
            }

            vectors.Add(VectorMath.Normalized(embedding.Vector.Span)
                ?? throw new EmbeddingException("the embeddings endpoint returned a zero or non-finite vector"));
        }

        return vectors;
    }

    public void Dispose()
    {
        _generator?.Dispose();
        _http.Dispose();
    }
}
