using Microsoft.Agents.AI.Workflows;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// Turns a pinned playbook version into an engine workflow: one executor per node (its id is the node id, so a
/// checkpoint resumes against the same shape), a request port per node for waits, and one conditional edge per
/// playbook edge that lets through only tokens leaving by that edge's port. Executors are made by factories, fresh
/// per run, so concurrent runs never share state.
/// </summary>
internal sealed class WorkflowCompiler(ActivityHost host)
{
    public Workflow Compile(RunContext run)
    {
        var definition = run.Definition;
        var incoming = definition.Edges.GroupBy(e => e.To).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var executors = new Dictionary<string, ExecutorBinding>(StringComparer.Ordinal);
        foreach (var node in definition.Nodes)
        {
            var joinInputs = node.Kind == "join" ? incoming.GetValueOrDefault(node.Id) : 1;
            executors[node.Id] = ExecutorBindingExtensions.BindExecutor<NodeExecutor>(
                (_, _) => ValueTask.FromResult(new NodeExecutor(run, node, host, joinInputs)), node.Id);
        }

        var trigger = definition.Nodes.Single(n => n.Kind.StartsWith("trigger.", StringComparison.Ordinal));
        var builder = new WorkflowBuilder(executors[trigger.Id]).WithName(definition.Name);
        foreach (var node in definition.Nodes)
        {
            var port = RequestPort.Create<WaitTicket, WaitReply>(ActivationIds.PortId(node.Id));
            ExecutorBinding portBinding = port;
            builder.AddEdge<WaitTicket>(executors[node.Id], portBinding, ticket => ticket is not null);
            builder.AddEdge<WaitReply>(portBinding, executors[node.Id], reply => reply is not null);
        }

        foreach (var edge in definition.Edges)
        {
            var port = edge.Port;
            builder.AddEdge<StepToken>(executors[edge.From], executors[edge.To], token => token is not null && token.Port == port,
                label: $"{edge.From}.{port}->{edge.To}", idempotent: false);
        }

        builder.WithOutputFrom([.. executors.Values]);
        return builder.Build(validateOrphans: false);
    }
}
