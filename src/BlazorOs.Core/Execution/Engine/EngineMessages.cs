using System.Security.Cryptography;
using System.Text;

namespace BlazorOs.Core.Execution.Engine;

// The messages that travel between executors. They are stored in engine checkpoints, so they stay small:
// outputs live in StepRuns, answers in Approvals.

/// <summary>Control passes from node <paramref name="From"/> through <paramref name="Port"/>.</summary>
/// <param name="Activation">The sending step's activation (its StepRun id).</param>
public sealed record StepToken(string From, string Port, Guid Activation);

/// <summary>A node waits: sent to its request port, answered with a <see cref="WaitReply"/>.</summary>
public sealed record WaitTicket(string NodeId, Guid WaitId);

/// <summary>The wait <paramref name="WaitId"/> was answered; the answer is in the store.</summary>
public sealed record WaitReply(Guid WaitId);

/// <summary>Yielded by the executor that ends the run (an end node, or a step whose failure ends it).</summary>
public sealed record RunEnded(string NodeId);

internal static class ActivationIds
{
    /// <summary>The first activation of a run, the one the trigger node receives.</summary>
    public static Guid Root(Guid runId) => Derive(runId, "", [runId]);

    /// <summary>
    /// The activation of <paramref name="nodeId"/> caused by <paramref name="parents"/>: the same inputs give the
    /// same id, so a superstep that runs again after a crash finds the steps it already did.
    /// </summary>
    public static Guid Derive(Guid runId, string nodeId, IEnumerable<Guid> parents)
    {
        var text = new StringBuilder().Append(runId.ToString("N")).Append('|').Append(nodeId);
        foreach (var parent in parents.Order())
        {
            text.Append('|').Append(parent.ToString("N"));
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8: custom, name-based
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    public static string PortId(string nodeId) => nodeId + ":wait";
}
