using System.Management.Automation;
using BatchShip.Engine.Errors;

namespace BatchShip.Cmdlets.Errors;

/// <summary>Turns catalogue errors into PowerShell ErrorRecords: the E-code is the FullyQualifiedErrorId.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(BatchShipException error, object? target = null)
    {
        var category = Enum.TryParse<ErrorCategory>(error.Error.Category, out var c) ? c : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(error, error.Error.Code, category, target)
        {
            // The message holds the facts and RecommendedAction the remedy, which PowerShell shows as "Recommendation":
            // written into both, the remedy would be read twice.
            ErrorDetails = new ErrorDetails(Describe(error)) { RecommendedAction = error.Remedy },
        };
        return record;
    }

    public static ErrorRecord From(ErrorDefinition definition, string message, object? target = null) =>
        From(new BatchShipException(definition, message), target);

    /// <summary>The message a clerk reads: code, job, row, field and what happened (what to do is the RecommendedAction).</summary>
    public static string Describe(BatchShipException error)
    {
        var where = new List<string>();
        if (error.JobId is not null) where.Add($"job {error.JobId}");
        if (error.RowNumber is not null) where.Add($"row {error.RowNumber}");
        if (error.Field is not null) where.Add($"field '{error.Field}'");
        var place = where.Count > 0 ? $" ({string.Join(", ", where)})" : "";
        var carrier = error.CarrierCode is null ? "" : $" [carrier code {error.CarrierCode}]";
        return $"{error.Error.Code} {error.Error.Title}{place}: {error.Message}{carrier}";
    }
}
