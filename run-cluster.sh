#!/usr/bin/env bash
# run-cluster.sh start [N] | stop | status
#
# Will start RabbitMQ on 127.0.0.1 and N SocketIo.Actors nodes on ports 3001..300N (PID files and
# logs under logs/), stop exactly what it started, and report status. The cluster backplane is not
# built yet (see the cluster issue), so for now this script says so and exits non-zero.
echo "run-cluster.sh: the cluster backplane is not implemented yet; run a single node with 'dotnet run --project src/Node'." >&2
exit 1
