using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BlazorOs.Benchmarks;

/// <summary>
/// Counts what the engine asks of the store while <see cref="Enabled"/>: SQL commands by kind and table with the time
/// each took (a reader's time runs until it is disposed, which is when SQLite commits an autocommit INSERT … RETURNING),
/// commits (explicit transactions plus write commands outside one: each is one fsync of the WAL with synchronous=FULL),
/// and the size of every checkpoint written. Off, it costs a field read per command.
/// </summary>
internal sealed partial class SqlProfile
{
    private readonly ConcurrentDictionary<string, Tally> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, long> _started = new();
    private readonly ConcurrentBag<int> _checkpointBytes = [];
    private long _transactions;
    private long _transactionTicks;
    private long _autocommitWrites;
    private bool _enabled;

    public SqlProfile() => Interceptors = [new CommandCounter(this), new TransactionCounter(this)];

    public IInterceptor[] Interceptors { get; }

    public bool Enabled
    {
        get => Volatile.Read(ref _enabled);
        set => Volatile.Write(ref _enabled, value);
    }

    public long Commits => Interlocked.Read(ref _transactions) + Interlocked.Read(ref _autocommitWrites);

    public long TransactionCount => Interlocked.Read(ref _transactions);

    public TimeSpan TransactionCommitTime => TimeSpan.FromTicks(Interlocked.Read(ref _transactionTicks));

    public IReadOnlyCollection<int> CheckpointBytes => _checkpointBytes;

    public IEnumerable<(string Command, long Count, TimeSpan Time)> Commands =>
        _commands.Select(c => (c.Key, c.Value.Count, TimeSpan.FromTicks(c.Value.Ticks))).OrderByDescending(c => c.Item3);

    public void Reset()
    {
        _commands.Clear();
        _started.Clear();
        _checkpointBytes.Clear();
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _transactionTicks, 0);
        Interlocked.Exchange(ref _autocommitWrites, 0);
    }

    private void Executing(DbCommand command, Guid commandId)
    {
        if (!Enabled)
        {
            return;
        }

        _started[commandId] = Stopwatch.GetTimestamp();
        if (!IsCheckpointWrite(command.CommandText))
        {
            return;
        }

        // The checkpoint is the longest text parameter of the INSERT or UPDATE (the JSON); SQLite stores TEXT as UTF-8.
        var json = command.Parameters.Cast<DbParameter>().Select(p => p.Value as string).MaxBy(v => v?.Length ?? 0);
        if (json is not null)
        {
            _checkpointBytes.Add(Encoding.UTF8.GetByteCount(json));
        }
    }

    /// <summary>A command ends when its reader is disposed: an autocommit INSERT … RETURNING commits only then.</summary>
    private void Executed(DbCommand command, Guid commandId)
    {
        if (!Enabled || !_started.TryRemove(commandId, out var started))
        {
            return;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var label = Label(command.CommandText);
        var tally = _commands.GetOrAdd(label, _ => new Tally());
        Interlocked.Increment(ref tally.Count);
        Interlocked.Add(ref tally.Ticks, duration.Ticks);
        if (command.Transaction is null && WriteStatement().IsMatch(command.CommandText))
        {
            Interlocked.Increment(ref _autocommitWrites);
        }
    }

    private void Committed(TimeSpan duration)
    {
        if (Enabled)
        {
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _transactionTicks, duration.Ticks);
        }
    }

    private static bool IsCheckpointWrite(string sql) =>
        sql.Contains("INSERT INTO \"WorkflowCheckpoints\"", StringComparison.Ordinal) || sql.Contains("UPDATE \"WorkflowCheckpoints\"", StringComparison.Ordinal);

    /// <summary>"INSERT StepRuns", "SELECT TraceEvents", "DELETE WorkflowCheckpoints + INSERT WorkflowCheckpoints"…</summary>
    internal static string Label(string sql)
    {
        var parts = Statement().Matches(sql).Select(m => m.Groups["verb"].Value switch
        {
            "INSERT INTO" => "INSERT",
            "DELETE FROM" => "DELETE",
            var verb => verb,
        } + (m.Groups["table"].Success ? " " + m.Groups["table"].Value : "")).ToList();
        return parts.Count == 0 ? sql.Split(' ', 2)[0] : string.Join(" + ", parts);
    }

    [GeneratedRegex("""(?<verb>INSERT INTO|UPDATE|DELETE FROM)\s+"(?<table>\w+)"|(?<=^|;\s*)(?<verb>SELECT)\b[^;]*?\bFROM\s+"(?<table>\w+)"|(?<verb>PRAGMA)""")]
    private static partial Regex Statement();

    [GeneratedRegex(@"^\s*(INSERT|UPDATE|DELETE)|;\s*(INSERT|UPDATE|DELETE)")]
    private static partial Regex WriteStatement();

    private sealed class Tally
    {
        public long Count;
        public long Ticks;
    }

    // The engine only uses EF's async API, so only the async hooks count (a reader is disposed synchronously).
    private sealed class CommandCounter(SqlProfile profile) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            profile.Executing(command, eventData.CommandId);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            profile.Executing(command, eventData.CommandId);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            profile.Executing(command, eventData.CommandId);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            profile.Executed(command, eventData.CommandId);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            profile.Executed(command, eventData.CommandId);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
            CancellationToken cancellationToken = default)
        {
            profile.Executed(command, eventData.CommandId);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class TransactionCounter(SqlProfile profile) : DbTransactionInterceptor
    {
        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
            CancellationToken cancellationToken = default)
        {
            profile.Committed(eventData.Duration);
            return Task.CompletedTask;
        }
    }
}
