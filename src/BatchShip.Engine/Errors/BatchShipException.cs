namespace BatchShip.Engine.Errors;

/// <summary>An error with its catalogue entry and, where known, the job, row and field it concerns.</summary>
public sealed class BatchShipException : Exception
{
    public BatchShipException(ErrorDefinition error, string message, string? field = null, long? rowNumber = null,
        string? jobId = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Field = field;
        RowNumber = rowNumber;
        JobId = jobId;
    }

    public ErrorDefinition Error { get; }
    public string? Field { get; }
    public long? RowNumber { get; }
    public string? JobId { get; }

    /// <summary>The carrier's own code (e.g. UPS 120802) when the error came from a carrier.</summary>
    public string? CarrierCode { get; init; }

    /// <summary>What to do, said once: the catalogue entry's remedy unless this error needs a more precise one (the job
    /// to resume, for instance). The message says only what happened.</summary>
    public string Remedy
    {
        get => _remedy ?? Error.Remedy;
        init => _remedy = value;
    }

    private readonly string? _remedy;

    /// <summary>A copy naming the job and row, for errors raised where those were not known.</summary>
    public BatchShipException For(string? jobId, long? rowNumber) =>
        new(Error, Message, Field, rowNumber ?? RowNumber, jobId ?? JobId, InnerException) { CarrierCode = CarrierCode, Remedy = Remedy };

    /// <summary>The remedy for this error in a job that stopped on it: the catalogue's, then how to continue that job,
    /// unless the remedy already says to resume.</summary>
    public static string RemedyInJob(ErrorDefinition error, string jobId) =>
        error.Remedy.Contains("resume", StringComparison.OrdinalIgnoreCase)
            ? $"{error.Remedy} (Resume-BatchShipment -JobId {jobId})"
            : $"{error.Remedy} Then continue the job with: Resume-BatchShipment -JobId {jobId}";
}
