namespace BatchShip.Engine.Carriers;

/// <summary>Starts <see cref="McpCarrierSession"/>s for one profile.</summary>
public sealed class McpCarrierSessionFactory(CarrierProfile profile) : ICarrierSessionFactory
{
    /// <summary>The profile every session starts from.</summary>
    public CarrierProfile Profile { get; } = profile;

    /// <inheritdoc />
    public string CarrierName => Profile.Name;

    /// <inheritdoc />
    public TimeSpan CallTimeout => Profile.CallTimeout;

    /// <inheritdoc />
    public async Task<ICarrierSession> StartAsync(CancellationToken cancellationToken) =>
        await McpCarrierSession.StartAsync(Profile, cancellationToken).ConfigureAwait(false);
}
