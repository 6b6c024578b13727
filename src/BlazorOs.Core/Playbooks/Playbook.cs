using System.Security.Cryptography;
using System.Text;

namespace BlazorOs.Core.Playbooks;

/// <summary>How much an agent may do on its own when it runs this playbook.</summary>
public enum DelegationLevel
{
    /// <summary>Agents act alone within policy and budget.</summary>
    Delegated = 0,

    /// <summary>Steps with external effects wait for the operator's approval.</summary>
    Approval = 1,

    /// <summary>Every step is shown to the operator before it runs.</summary>
    Supervised = 2,
}

/// <summary>A named playbook; its graph lives in immutable <see cref="PlaybookVersion"/>s.</summary>
public sealed class Playbook
{
    public const int NameMaxLength = 200;

    private readonly List<PlaybookVersion> _versions = [];

    private Playbook(Guid id, string name, DateTime createdAt)
    {
        Id = id;
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public DelegationLevel Delegation { get; private set; }
    public int LatestVersion { get; private set; }
    public Guid? GoalId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public IReadOnlyList<PlaybookVersion> Versions => _versions;

    public static Playbook Create(string name, DateTime now, string? description = null,
        DelegationLevel delegation = DelegationLevel.Approval, Guid? goalId = null)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > NameMaxLength)
        {
            throw new ArgumentException($"A playbook needs a name of 1 to {NameMaxLength} characters.", nameof(name));
        }

        return new Playbook(Guid.CreateVersion7(), trimmed, now)
        {
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            Delegation = delegation,
            GoalId = goalId,
        };
    }

    /// <summary>Takes the name, description and delegation of a newly saved definition.</summary>
    public void Describe(string name, string? description, DelegationLevel delegation)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > NameMaxLength)
        {
            throw new ArgumentException($"A playbook needs a name of 1 to {NameMaxLength} characters.", nameof(name));
        }

        Name = trimmed;
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        Delegation = delegation;
    }

    /// <summary>Stores a definition as the next immutable version. Validation happens before this call.</summary>
    public PlaybookVersion AddVersion(string schema, string definitionJson, DateTime now)
    {
        LatestVersion++;
        UpdatedAt = now;
        var version = new PlaybookVersion(Guid.CreateVersion7(), Id, LatestVersion, schema, definitionJson,
            PlaybookVersion.HashOf(definitionJson), now);
        _versions.Add(version);
        return version;
    }
}

/// <summary>One saved graph. Never changed after it is written; runs pin the version they started on.</summary>
public sealed class PlaybookVersion
{
    internal PlaybookVersion(Guid id, Guid playbookId, int number, string schema, string definition,
        string contentHash, DateTime createdAt)
    {
        Id = id;
        PlaybookId = playbookId;
        Number = number;
        Schema = schema;
        Definition = definition;
        ContentHash = contentHash;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid PlaybookId { get; private set; }
    public int Number { get; private set; }
    public string Schema { get; private set; }
    public string Definition { get; private set; }
    public string ContentHash { get; private set; }
    public DateTime CreatedAt { get; private set; }

    internal static string HashOf(string definition) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(definition)));
}
