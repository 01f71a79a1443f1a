using Wav2Vec2Sharp.Inference;

namespace Wav2Vec2Sharp.Cli.Serve;

/// <summary>
/// The one thread of <c>w2v serve</c> that uses the model. HTTP requests queue a decoded clip (<see cref="Transcribe"/>);
/// streaming sessions queue exclusive work on the transcriber (<see cref="Run{T}"/>). The loop takes the oldest job and,
/// when it is a clip, every other clip already waiting, up to the batch size, and transcribes them with one
/// <see cref="Transcriber.TranscribeBatch"/> (each transcript equals the clip's own). A job whose token is cancelled
/// (its client has gone) while it waits is taken out of the queue and never runs; its task is cancelled at once.
/// <see cref="Stop"/> (the host's <c>ApplicationStopped</c>, or disposal) lets the queued jobs finish, then ends the thread.
/// </summary>
internal sealed class ModelWorker : IDisposable
{
    private readonly Transcriber _transcriber;
    private readonly ServerMetrics _metrics;
    private readonly object _gate = new(); // guards _queue and _stopping; Monitor.Wait/Pulse wake the loop
    private readonly LinkedList<Job> _queue = new();
    private readonly Thread _thread;
    private bool _stopping;
    private long _clips;

    public ModelWorker(Transcriber transcriber, int batchSize, ServerMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _transcriber = transcriber;
        _metrics = metrics;
        BatchSize = batchSize;
        _thread = new Thread(Loop) { IsBackground = true, Name = "w2v model" };
        _thread.Start();
    }

    /// <summary>Most clips transcribed together.</summary>
    public int BatchSize { get; }

    /// <summary>Jobs queued and not yet taken by the loop.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    /// <summary>Clips the model has transcribed (HTTP jobs; a dropped job is not among them).</summary>
    public long ClipsTranscribed => Interlocked.Read(ref _clips);

    /// <summary>Queues a clip (already checked with <see cref="Transcriber.EnsureTranscribable"/>) for transcription.</summary>
    /// <exception cref="ServerStoppingException">The worker has stopped.</exception>
    public Task<Transcription> Transcribe(float[] samples, CancellationToken cancel)
    {
        var job = new ClipJob(samples, cancel);
        Enqueue(job);
        return job.Done.Task;
    }

    /// <summary>Queues work that uses the transcriber alone (no other job runs meanwhile).</summary>
    /// <exception cref="ServerStoppingException">The worker has stopped.</exception>
    public Task<T> Run<T>(Func<Transcriber, T> work, CancellationToken cancel)
    {
        var job = new WorkJob<T>(work, cancel);
        Enqueue(job);
        return job.Done.Task;
    }

    /// <summary>Refuses new jobs, lets the queued ones finish, then ends the loop (and waits for it). Safe to call again.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        if (Thread.CurrentThread != _thread)
            _thread.Join();
    }

    public void Dispose() => Stop();

    private void Enqueue(Job job)
    {
        // registered before the job is visible, so that the loop can always unregister it; a token cancelled already
        // runs Withdraw here and the job is never queued
        job.Registration = job.Cancel.Register(static state =>
        {
            var (worker, queued) = ((ModelWorker, Job))state!;
            worker.Withdraw(queued);
        }, (this, job));
        lock (_gate)
        {
            if (_stopping)
            {
                job.Registration.Unregister();
                throw new ServerStoppingException();
            }
            if (job.Withdrawn)
                return;
            job.Node = _queue.AddLast(job);
            Monitor.Pulse(_gate);
        }
    }

    // The job's client has gone: out of the queue if it is still there (it never runs), and its task cancelled now.
    private void Withdraw(Job job)
    {
        bool dropped;
        lock (_gate)
        {
            job.Withdrawn = true;
            dropped = job.Node?.List is not null;
            if (dropped)
                _queue.Remove(job.Node!);
        }
        if (dropped)
            _metrics.Dropped();
        job.Cancelled();
    }

    private void Loop()
    {
        while (true)
        {
            var taken = new List<Job>();
            var dropped = new List<Job>();
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping)
                    Monitor.Wait(_gate);
                if (_queue.Count == 0)
                    return; // stopping, and nothing left
                for (var node = _queue.First; node is not null && taken.Count < BatchSize;)
                {
                    var next = node.Next;
                    var job = node.Value;
                    if (job.Cancel.IsCancellationRequested)
                    {
                        _queue.Remove(node); // its Withdraw has not run yet
                        job.Withdrawn = true;
                        dropped.Add(job);
                    }
                    else if (taken.Count == 0 || job is ClipJob)
                    {
                        _queue.Remove(node);
                        taken.Add(job);
                        if (job is not ClipJob)
                            break; // exclusive work goes alone
                    }
                    node = next;
                }
            }
            foreach (var job in dropped)
            {
                _metrics.Dropped();
                job.Cancelled();
            }
            if (taken.Count == 0)
                continue;
            if (taken[0] is ClipJob)
                TranscribeTogether(taken.Cast<ClipJob>().ToList());
            else
                taken[0].Execute(_transcriber);
            foreach (var job in taken)
                job.Registration.Unregister();
        }
    }

    private void TranscribeTogether(List<ClipJob> clips)
    {
        IReadOnlyList<Transcription> results;
        try
        {
            results = _transcriber.TranscribeBatch(clips.Select(c => c.Samples).ToList(), BatchSize);
        }
        catch (Exception) when (clips.Count > 1)
        {
            foreach (var clip in clips) // one clip's failure is its own: the others still get their answers
                TranscribeTogether([clip]);
            return;
        }
        catch (Exception e)
        {
            clips[0].Done.TrySetException(e);
            return;
        }
        Interlocked.Add(ref _clips, clips.Count);
        _metrics.Batched(clips.Count);
        for (int i = 0; i < clips.Count; i++)
            clips[i].Done.TrySetResult(results[i]);
    }

    private abstract class Job(CancellationToken cancel)
    {
        public CancellationToken Cancel { get; } = cancel;
        public CancellationTokenRegistration Registration { get; set; }
        public LinkedListNode<Job>? Node { get; set; }
        public bool Withdrawn { get; set; }
        public abstract void Cancelled();
        public abstract void Execute(Transcriber transcriber);
    }

    private sealed class ClipJob(float[] samples, CancellationToken cancel) : Job(cancel)
    {
        public float[] Samples { get; } = samples;
        public TaskCompletionSource<Transcription> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Cancelled() => Done.TrySetCanceled(Cancel);
        public override void Execute(Transcriber transcriber) => throw new InvalidOperationException("clips are transcribed in batches");
    }

    private sealed class WorkJob<T>(Func<Transcriber, T> work, CancellationToken cancel) : Job(cancel)
    {
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override void Cancelled() => Done.TrySetCanceled(Cancel);

        public override void Execute(Transcriber transcriber)
        {
            try
            {
                Done.TrySetResult(work(transcriber));
            }
            catch (Exception e)
            {
                Done.TrySetException(e);
            }
        }
    }
}

/// <summary>The server is shutting down: the model takes no new work.</summary>
internal sealed class ServerStoppingException() : Exception("the server is shutting down");
