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

    /// <summary>A copy naming the job and row, for errors raised where those were not known.</summary>
    public BatchShipException For(string? jobId, long? rowNumber) =>
        new(Error, Message, Field, rowNumber ?? RowNumber, jobId ?? JobId, InnerException) { CarrierCode = CarrierCode };
}
