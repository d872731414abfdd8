namespace SocketIo.Actors;

/// <summary>Options of the Socket.IO layer (the Engine.IO options live with the transport).</summary>
public sealed class SocketIoOptions
{
    /// <summary>A connection that joins no namespace within this delay is closed (socket.io's <c>connectTimeout</c>, default 45 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Removes a dynamically created child namespace once its last socket leaves (socket.io's <c>cleanupEmptyChildNamespaces</c>).</summary>
    public bool CleanupEmptyChildNamespaces { get; set; }

    /// <summary>Most child namespaces that dynamic (regex or predicate) namespaces may create; past it a connection is refused with "Invalid namespace".</summary>
    public int MaxDynamicNamespaces { get; set; } = 10_000;

    /// <summary>Most binary attachments one packet may announce; more is a parse error.</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>Deepest JSON nesting accepted in a packet; deeper is a parse error.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>How long the attachments a packet announced may take to arrive; then the connection is closed with <c>parse error</c>.</summary>
    public TimeSpan AttachmentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Inbound flow control: the most packets (events, acks, DISCONNECTs) a connection may have handed to its socket
    /// actors that they have not finished handling; an event counts until the tasks of its listeners complete. At the
    /// limit the connection stops reading (<see cref="Connections.IClientConnection.PauseReceiving"/>), so a client
    /// that sends faster than its listeners finish is slowed by TCP flow control instead of growing the mailboxes,
    /// and nothing it sent is lost; reading resumes once the backlog is down to half the limit. CONNECT packets are
    /// not counted. 0 or less turns flow control off (unbounded mailboxes). Read when a connection is accepted;
    /// default 256.
    /// </summary>
    public int MaxInboundBacklog { get; set; } = 256;

    /// <summary>
    /// Outbound overflow: what an emit to a connection that cannot take it now does (<see cref="OutboundOverflowPolicy"/>).
    /// <see cref="OutboundOverflowPolicy.Disconnect"/> (the default, socket.io's behaviour) drops a volatile packet
    /// whenever the transport is not writable; <see cref="OutboundOverflowPolicy.DropVolatile"/> queues it while the
    /// outbound queue has room and drops it only when the queue is full. Under both, a non-volatile packet refused by a
    /// full queue closes the connection with <see cref="DisconnectReasons.OutboundQueueFull"/>. A value that is not
    /// one of the enum's behaves as <see cref="OutboundOverflowPolicy.Disconnect"/>. Read when a connection is accepted.
    /// </summary>
    public OutboundOverflowPolicy OutboundOverflow { get; set; } = OutboundOverflowPolicy.Disconnect;

    /// <summary>Clock used for ack timeouts and connect timeouts (tests pass a manual one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The cluster backplane (socket.io's adapter), e.g. the one a <c>ClusterNode</c> of SocketIo.Actors.Cluster
    /// provides. Null (the default): the node runs alone and broadcasts stay in process.
    /// </summary>
    public Adapters.IClusterAdapter? Adapter { get; set; }
}
