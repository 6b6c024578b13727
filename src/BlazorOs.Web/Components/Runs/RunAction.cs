namespace BlazorOs.Web.Components.Runs;

/// <summary>What an operator can do to a run from its row.</summary>
public enum RunAction
{
    Cancel,
    Retry,
    Rerun,
}
