using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;

namespace BatchShip.Cmdlets.Completion;

/// <summary>Completes job ids, most recent first, with the job's name and status as the tooltip.</summary>
public sealed class JobIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<JobSummary> jobs;
        try
        {
            using var store = BatchStore.Open(ModuleContext.StoreFolderForCompletion());
            jobs = store.ListJobs(new JobQuery(Newest: 50));
        }
#pragma warning disable CA1031 // completion must never throw at the prompt
        catch (Exception)
        {
            yield break;
        }
#pragma warning restore CA1031
        foreach (var job in jobs.Where(j => j.Job.JobId.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(job.Job.JobId, job.Job.JobId, CompletionResultType.ParameterValue,
                $"{job.Job.Name} ({job.DisplayStatus}, {job.Job.RowCount} rows)");
    }
}
