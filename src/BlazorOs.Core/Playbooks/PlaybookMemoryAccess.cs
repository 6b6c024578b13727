using System.Text.Json.Nodes;

namespace BlazorOs.Core.Playbooks;

/// <summary>
/// The memory scopes a playbook's steps may read and write, as its definition declares them (the <c>memory</c> block):
/// null lists mean the block is absent and every scope is allowed.
/// </summary>
public sealed record PlaybookMemoryAccess(IReadOnlyList<string>? Read, IReadOnlyList<string>? Write)
{
    public static PlaybookMemoryAccess Unrestricted { get; } = new(null, null);

    public bool IsRestricted => Read is not null || Write is not null;

    /// <summary>What <paramref name="definitionJson"/> declares.</summary>
    public static PlaybookMemoryAccess Of(string definitionJson)
    {
        if (JsonNode.Parse(definitionJson)?["memory"] is not JsonObject block)
        {
            return Unrestricted;
        }

        static IReadOnlyList<string> List(JsonNode? node) => node is JsonArray list ? [.. list.Select(s => s?.ToString() ?? "")] : [];
        return new PlaybookMemoryAccess(List(block["read"]), List(block["write"]));
    }
}

public static class PlaybookMemoryAccessExtensions
{
    /// <summary>
    /// Saves the playbook's latest version again with <paramref name="access"/> as its memory block (removed when
    /// unrestricted): a new version, validated in full like any save, so a bad pattern throws
    /// <see cref="PlaybookValidationException"/> naming it and nothing is written. Runs keep the version they started on.
    /// </summary>
    public static async Task<PlaybookVersionRef> SetMemoryAccessAsync(this PlaybookService playbooks, Guid id, PlaybookMemoryAccess access,
        CancellationToken cancellationToken = default)
    {
        var playbook = await playbooks.GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"Playbook {id} does not exist.");
        var json = await playbooks.GetVersionAsync(id, playbook.LatestVersion, cancellationToken)
            ?? throw new KeyNotFoundException($"Playbook {id} has no version {playbook.LatestVersion}.");
        var document = JsonNode.Parse(json)!.AsObject();
        if (access.IsRestricted)
        {
            document["memory"] = new JsonObject
            {
                ["read"] = new JsonArray([.. (access.Read ?? []).Select(s => JsonValue.Create(s.Trim()))]),
                ["write"] = new JsonArray([.. (access.Write ?? []).Select(s => JsonValue.Create(s.Trim()))]),
            };
        }
        else
        {
            document.Remove("memory");
        }

        return await playbooks.SaveVersionAsync(id, document.ToJsonString(), cancellationToken);
    }
}
