namespace SocketIo.Actors;
