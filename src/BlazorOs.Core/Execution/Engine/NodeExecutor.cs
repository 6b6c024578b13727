using BlazorOs.Core.Playbooks.Definition;
using Microsoft.Agents.AI.Workflows;

namespace BlazorOs.Core.Execution.Engine;

/// <summary>
/// One playbook node inside the engine. Receives tokens along edges and answers from its request port, hands the work
/// to the <see cref="ActivityHost"/>, and turns the outcome into messages. A join waits for a token on every incoming
/// edge before it runs; its arrivals are part of the engine checkpoint.
/// </summary>
internal sealed class NodeExecutor(RunContext run, PlaybookNode node, ActivityHost host, int joinInputs)
    : Executor(node.Id, declareCrossRunShareable: false)
{
    private const string ArrivalsKey = "arrivals";
    private readonly List<StepToken> _arrivals = [];

    protected override ProtocolBuilder ConfigureProtocol(ProtocolBuilder protocolBuilder) => protocolBuilder
        .ConfigureRoutes(routes => routes
            .AddHandler<StepToken>(OnTokenAsync)
            .AddHandler<WaitReply>(OnReplyAsync))
        .SendsMessage<StepToken>()
        .SendsMessage<WaitTicket>()
        .YieldsOutput<RunEnded>();

    protected override async ValueTask OnCheckpointRestoredAsync(IWorkflowContext context, CancellationToken cancellationToken = default)
    {
        _arrivals.Clear();
        _arrivals.AddRange(await context.ReadStateAsync<List<StepToken>>(ArrivalsKey, cancellationToken) ?? []);
        await base.OnCheckpointRestoredAsync(context, cancellationToken);
    }

    private async ValueTask OnTokenAsync(StepToken token, IWorkflowContext context, CancellationToken cancellationToken)
    {
        IEnumerable<Guid> parents = [token.Activation];
        if (joinInputs > 1)
        {
            _arrivals.Add(token);
            if (_arrivals.Count < joinInputs)
            {
                await context.QueueStateUpdateAsync(ArrivalsKey, _arrivals.ToList(), cancellationToken);
                return;
            }

            parents = _arrivals.Select(a => a.Activation).ToList();
            _arrivals.Clear();
            await context.QueueStateUpdateAsync(ArrivalsKey, new List<StepToken>(), cancellationToken);
        }

        var activation = ActivationIds.Derive(run.RunId, node.Id, parents);
        var outcome = await host.RunAsync(run, node, activation, token.Port, cancellationToken);
        await ApplyAsync(outcome, context, cancellationToken);
    }

    private async ValueTask OnReplyAsync(WaitReply reply, IWorkflowContext context, CancellationToken cancellationToken) =>
        await ApplyAsync(await host.ResumeAsync(run, node, reply.WaitId, cancellationToken), context, cancellationToken);

    private async ValueTask ApplyAsync(HostOutcome outcome, IWorkflowContext context, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case HostOutcome.Emit emit:
                await context.SendMessageAsync(new StepToken(node.Id, emit.Port, emit.Activation), cancellationToken);
                break;
            case HostOutcome.Wait wait:
                await context.SendMessageAsync(new WaitTicket(node.Id, wait.WaitId), ActivationIds.PortId(node.Id), cancellationToken);
                break;
            case HostOutcome.EndRun:
                await context.YieldOutputAsync(new RunEnded(node.Id), cancellationToken);
                break;
        }
    }
}
