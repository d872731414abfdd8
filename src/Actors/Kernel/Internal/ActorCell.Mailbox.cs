namespace SocketIo.Actors.Kernel.Internal;

/// <summary>
/// The mailbox: an intrusive MPSC queue for user messages, a lock-free stack for system messages,
/// and a scheduled flag. <see cref="Post"/> costs one atomic exchange plus, when the mailbox is
/// idle, one compare-exchange and a thread-pool enqueue. A run processes all system messages and
/// up to <see cref="ActorSystem.Throughput"/> user messages, then yields the thread.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private const int NotStarted = 1;
    private const int Suspended = 2;
    private const int Awaiting = 4;
    private const int Terminating = 8;
    private const int Terminated = 16;
    private const int Recreating = 32;

    // Consumer side; only the running mailbox touches _head.
    private MessageNode _head;

    // Producer side; swapped atomically by every Post.
    private MessageNode _tail;

    private SystemMessage? _sysHead;

    // 0 idle, 1 scheduled or running.
    private int _scheduled;

    // 1 once the actor has fully stopped: later user messages go straight to dead letters.
    private int _closed;

    // Any bit set blocks user messages; touched only by the running mailbox.
    private int _flags;

    internal bool IsTerminated => Volatile.Read(ref _closed) != 0;

    /// <summary>Enqueues a user message; never blocks and never takes a lock.</summary>
    internal void Post(object message, IActorRef? sender)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            _system.RecordDeadLetter(message, sender, _self);
            return;
        }

        var node = new MessageNode(message, sender);
        var previous = Interlocked.Exchange(ref _tail, node);
        Volatile.Write(ref previous.Next, node);

        // The exchange above is a full fence, and the consumer clears _scheduled with a full fence
        // before re-reading _tail, so one of the two sides always sees the other's write.
        if (Volatile.Read(ref _scheduled) == 0)
        {
            TrySchedule();
        }
    }

    internal void SendSystemMessage(SystemMessage message)
    {
        SystemMessage? head;
        do
        {
            head = Volatile.Read(ref _sysHead);
            message.Next = head;
        }
        while (Interlocked.CompareExchange(ref _sysHead, message, head) != head);

        TrySchedule();
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        t_current = this;
        try
        {
            ProcessSystemMessages();
            var left = _system.Throughput;
            while (_flags == 0 && left > 0)
            {
                if (Volatile.Read(ref _sysHead) is not null)
                {
                    ProcessSystemMessages();
                    continue;
                }

                if (!TryDequeue(out var message, out var sender))
                {
                    break;
                }

                left--;
                Invoke(message, sender);
            }

            if ((_flags & Terminated) != 0)
            {
                DrainToDeadLetters();
            }
        }
        finally
        {
            if ((_flags & Awaiting) == 0)
            {
                // Keep them while a ReceiveAsync handler is pending: its continuations need Sender.
                _currentMessage = null;
                _currentSender = null;
            }

            t_current = null;
            Interlocked.Exchange(ref _scheduled, 0);
            if (HasWork())
            {
                TrySchedule();
            }
        }
    }

    private bool HasWork()
    {
        if (Volatile.Read(ref _sysHead) is not null)
        {
            return true;
        }

        if ((_flags & Terminated) != 0)
        {
            return Volatile.Read(ref _tail) != _head;
        }

        if (_flags != 0)
        {
            return false;
        }

        // _tail != _head also covers a producer that swapped _tail but has not linked its node
        // yet; the next run will find the node once it is linked.
        return Volatile.Read(ref _tail) != _head || (_x?.Prepended is { } p && _x.PrependedIndex < p.Count);
    }

    private bool TryDequeue(out object message, out IActorRef? sender)
    {
        if (_x is { Prepended: { } prepended } x && x.PrependedIndex < prepended.Count)
        {
            var envelope = prepended[x.PrependedIndex++];
            if (x.PrependedIndex == prepended.Count)
            {
                prepended.Clear();
                x.PrependedIndex = 0;
            }

            message = envelope.Message;
            sender = envelope.Sender;
            return true;
        }

        var next = Volatile.Read(ref _head.Next);
        if (next is null)
        {
            message = null!;
            sender = null;
            return false;
        }

        _head = next;
        message = next.Message!;
        sender = next.Sender;
        next.Message = null;
        next.Sender = null;
        return true;
    }

    /// <summary>Puts messages in front of the mailbox, keeping their order (unstash).</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0)
        {
            return;
        }

        var x = X;
        var prepended = x.Prepended ??= new List<Envelope>();
        if (x.PrependedIndex > 0)
        {
            prepended.RemoveRange(0, x.PrependedIndex);
            x.PrependedIndex = 0;
        }

        prepended.InsertRange(0, envelopes);
    }

    private void ProcessSystemMessages()
    {
        while (true)
        {
            var list = Interlocked.Exchange(ref _sysHead, null);
            if (list is null)
            {
                return;
            }

            // The stack is LIFO; reverse to process in send order.
            SystemMessage? ordered = null;
            while (list is not null)
            {
                var next = list.Next;
                list.Next = ordered;
                ordered = list;
                list = next;
            }

            while (ordered is not null)
            {
                var next = ordered.Next;
                ordered.Next = null;
                try
                {
                    HandleSystemMessage(ordered);
                }
                catch (Exception e)
                {
                    KernelLog.SystemMessageFailed(_system.KernelLogger, e, ordered.GetType().Name, _self.Path);
                }

                ordered = next;
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        if ((_flags & Terminated) != 0)
        {
            // A dead actor answers a late Watch at once and ignores everything else.
            if (message is Watch lateWatch)
            {
                lateWatch.Watcher.SendSystemMessage(new DeathWatchNotification(_self));
            }

            return;
        }

        switch (message)
        {
            case Create:
                HandleCreate();
                break;
            case Terminate:
                HandleTerminate();
                break;
            case Watch watch:
                AddWatcher(watch.Watcher);
                break;
            case Unwatch unwatch:
                _x?.WatchedBy?.Remove(unwatch.Watcher);
                break;
            case DeathWatchNotification notification:
                HandleDeathWatchNotification(notification.Actor);
                break;
            case Failed failed:
                HandleFailed(failed);
                break;
            case Recreate recreate:
                HandleRecreate(recreate.Cause);
                break;
            case Resume:
                HandleResume();
                break;
            case RunContinuation continuation:
                RunContinuationOnMailbox(continuation);
                break;
        }
    }

    private void DrainToDeadLetters()
    {
        while (TryDequeue(out var message, out var sender))
        {
            if (message is not TimerScheduler.TimerMessage and not WatchedTerminated)
            {
                _system.RecordDeadLetter(message, sender, _self);
            }
        }
    }
}
