using System.Management.Automation;
using BatchShip.Engine.Jobs;

namespace BatchShip.Cmdlets.Output;

/// <summary>A job as PowerShell shows it: type name <c>BatchShip.Job</c>, flat properties.</summary>
internal static class JobView
{
    public const string TypeName = "BatchShip.Job";

    public static PSObject From(JobSummary s)
    {
        var o = new PSObject();
        o.TypeNames.Insert(0, TypeName);
        void Add(string name, object? value) => o.Properties.Add(new PSNoteProperty(name, value));
        Add("JobId", s.Job.JobId);
        Add("Name", s.Job.Name);
        Add("Status", s.DisplayStatus);
        Add("Total", s.Job.RowCount);
        Add("Pending", s.Count(RowStatus.Pending));
        Add("InFlight", s.Count(RowStatus.InFlight));
        Add("Completed", s.Count(RowStatus.Completed));
        Add("Failed", s.Count(RowStatus.Failed));
        Add("NeedsReview", s.Count(RowStatus.NeedsReview));
        Add("AlreadyShipped", s.Count(RowStatus.AlreadyShipped));
        Add("Skipped", s.Count(RowStatus.Skipped));
        Add("Voided", s.Count(RowStatus.Voided));
        Add("TotalCost", s.TotalCost);
        Add("Currency", s.Currency);
        Add("CostUnknownRows", s.CostUnknownRows);
        Add("Template", s.Job.TemplateName);
        Add("Carrier", s.Job.Carrier);
        Add("CreatedAt", s.Job.CreatedAt.ToLocalTime());
        Add("StartedAt", s.Job.StartedAt?.ToLocalTime());
        Add("FinishedAt", s.Job.FinishedAt?.ToLocalTime());
        Add("LastErrorCode", s.Job.LastErrorCode);
        Add("LastError", s.Job.LastErrorMessage);
        Add("LabelDirectory", s.Job.LabelDirectory);
        // Every runner of the job (several processes or stations may run one job), oldest first.
        Add("Owner", s.Runners.Count == 0 ? null : string.Join(", ", s.Runners.Select(r => $"{r.OwnerProcessId}@{r.Host}")));
        Add("Runners", s.Runners.Count);
        Add("RunnerHosts", string.Join(", ", s.Runners.Select(r => r.Host).Distinct(StringComparer.OrdinalIgnoreCase)));
        return o;
    }

    /// <summary>The job, shown as <paramref name="text"/> wherever it is turned into text (the console's rendering of an
    /// information record), while a script reads its properties.</summary>
    public static PSObject WithText(JobSummary s, string text)
    {
        var o = From(s);
        o.Properties.Add(new PSNoteProperty(TextProperty, text));
        o.Methods.Add(new PSCodeMethod("ToString", typeof(JobView).GetMethod(nameof(Text))!));
        return o;
    }

    private const string TextProperty = "Summary";

    /// <summary>The code behind the ToString of <see cref="WithText"/>; public only because PowerShell calls it.</summary>
    public static string Text(PSObject instance) => instance.Properties[TextProperty]?.Value as string ?? "";
}
