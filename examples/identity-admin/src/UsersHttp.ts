/**
 * The HTTP handlers of the users group: each one's error channel is exactly the errors its endpoint declares.
 */
import { ErrataServer } from "@errata/server"
import { Effect, Layer } from "effect"
import { AdminApi } from "./Api.js"
import { UserPage } from "./User.js"
import { Users } from "./Users.js"
import type { UsersRepository } from "./UsersRepository.js"

/** The users group. */
export const UsersHttpLive = ErrataServer.group(AdminApi, "users", (handlers) =>
  Effect.gen(function*() {
    const users = yield* Users
    return handlers
      .handle("create", ({ payload }) => users.create(payload))
      .handle("get", ({ path }) => users.get(path.id))
      .handle("list", ({ urlParams }) => {
        const page = { limit: urlParams.limit ?? 50, offset: urlParams.offset ?? 0 }
        return Effect.map(users.list(page), (list) => new UserPage({ users: list, ...page }))
      })
      .handle("update", ({ path, payload }) => users.update(path.id, payload))
      .handle("delete", ({ path }) => users.remove(path.id))
  }))

/** Every group of the API, on a users repository. */
export const HandlersLive = (repository: Layer.Layer<UsersRepository>) =>
  UsersHttpLive.pipe(Layer.provide(Users.Default), Layer.provide(repository))
