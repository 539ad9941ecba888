package io.gevent4j.kotlin.testing

import io.gevent4j.testing.Recording

/** A new list of strings that any thread may add to (see [Recording.recorder]). */
fun recorder(): MutableList<String> = Recording.recorder()

/** A new list that any thread may add to (see [Recording.recorder]). */
fun <T> syncList(): MutableList<T> = Recording.recorder()

/** A copy of this list, taken under its lock. */
fun <T> MutableList<T>.snapshot(): List<T> = Recording.snapshot(this)
