# Agents: ticket cards, take over and release, reviews, queue and statistics.

ticket-kind-human = Talk to a person
ticket-kind-escalation = Repeated failures
ticket-kind-correction = Record correction
ticket-kind-photo = Photo change
ticket-kind-id-review = ID review
ticket-kind-id-objection = ID number objection (approve = the claimant, reject = keep the holder)
ticket-kind-data-deletion = Data deletion
ticket-card = <b>Ticket #{ $ticket } · { $kind }</b>
    Student: { $who } ({ $id_masked })
    Username: { $username }
    Chat: { $chat }
    Step: { $node }
    Details: { $detail }
    State: { $status }
ticket-take = 🙋 Take over
ticket-approve = ✅ Approve
ticket-reject = ❌ Reject
ticket-release = ↩️ Release to bot
ticket-close = 🔒 Close
agent-not-allowed = You are not an agent; tickets cannot be changed from here.
ticket-already-closed = This ticket is closed.
ticket-take-first = Press "Take over" first, then reply to the student.
ticket-closed-not-sent = ⚠️ The ticket is over; this message was <b>not</b> sent to the student.
agent-neutral = Support
agent-signature = <b>{ $name }:</b>
ticket-reply-failed = ⚠️ The reply could not reach the student after several tries.
ticket-closed-by-student = The student closed the ticket.
ticket-closed = Ticket #{ $ticket } is closed. If anything else comes up, send /human.
agent-holding = Support is handling your ticket #{ $ticket }; your messages go straight to them. Send /close to end it.
agent-relay-kinds = This kind of message cannot be passed on; please send text, a photo or a file.
agent-took-over = 👤 A support agent has joined ticket #{ $ticket }; your messages now go straight to them. Send /close to end it.
ticket-taken = { $agent } took over.
agent-released = Support has finished with ticket #{ $ticket }; the assistant carries on.
ticket-released = Released to the bot.
ticket-closed-topic = Ticket closed.
ticket-ask-reason = Send the reason for the rejection in this topic (the next message goes to the student as the reason).
review-photo-approved = ✅ Your photo change (ticket #{ $ticket }) was handled and the photo is confirmed.
review-photo-rejected = Your photo change (ticket #{ $ticket }) was not approved. Reason: { $reason }
review-correction-approved = ✅ Your record correction (ticket #{ $ticket }) was approved; the record is corrected and confirmed.
review-correction-rejected = Your record correction (ticket #{ $ticket }) was not approved. Reason: { $reason }
ticket-approved-topic = ✅ Approved by { $agent }.
ticket-rejected-topic = ❌ Rejected by { $agent }.
agent-queue = <b>Open tickets: { $count }</b>
    { $list }
agent-stats = <b>Statistics</b>
    Open: { $open }
    In progress: { $in_progress }
    Resolved today: { $resolved_today }
    Median time to first response: { $first_response } min
    Median time to resolution: { $resolution } min
    Average rating: { $rating }
    Questions not understood in the last 7 days: { $unmatched } (the operator lists them with helpdesk intents unmatched to add phrasings)
ticket-status-open = open
ticket-status-in-progress = in progress
ticket-status-resolved = resolved
ticket-status-rejected = rejected
ticket-status-held = { $status } ({ $agent })
ticket-status-closed = closed
ticket-card-backlog = ⏳ Student messages waiting to be relayed: { $count } (sent merged)
ticket-reopen = 🔁 Not solved: reopen the ticket
ticket-reopened = 🔁 Ticket #{ $ticket } is open again; an agent will answer soon.
ticket-reopened-topic = 🔁 The student reopened the ticket; please take it over again.
ticket-reopen-expired = Ticket #{ $ticket } was closed too long ago to reopen. If you still need help, send /human for a new ticket.
ticket-still-open = Ticket #{ $ticket } is still being handled; there is nothing to reopen.
ticket-student-edited = [#{ $ticket }] { $name } ✏️ edited the message above; it now reads:
    { $text }
agent-edited = ✏️ The agent edited the reply above; it now reads:
    { $text }
agent-find = <b>Tickets found: { $count }</b>
    { $list }
agent-find-none = No ticket matches “{ $query }”.
agent-find-usage = Usage: /find ticket-number or /find username (e-mail), e.g. /find 12 or /find zhang.wei@example.com
ticket-rated = Thank you for rating ticket #{ $ticket }!
agent-private-usage = Usage: /take ticket-number (e.g. /take 12); the ticket must be open or in progress.
agent-private-took = You are working ticket #{ $ticket } from this chat: the student's messages come here and what you send here goes to the student. Send /drop to hand it back to the topic, /close to close it.
agent-private-dropped = Ticket #{ $ticket } is back in its topic.
ticket-taken-private = { $agent } took over from a private chat with the bot; the student's messages go there.
ticket-private-dropped = Private handling ended; the student's messages come to this topic again.
ticket-other-group = This ticket belongs to another agents' group; it cannot be changed from here.
review-already-open = Your ticket <b>#{ $ticket }</b> is still being handled, so no second request of this kind is opened; what you just sent was added to it for the agents.
ticket-added-topic = The student added { $count } item(s).
ticket-private-lost = { $agent } is no longer in the agents' group; the ticket is back in this group's queue.
agent-lost-rights = You are no longer a member of the agents' group and cannot work this ticket; it went back to the group.
agent-faq-list = The FAQ's answers; send /faq NAME in a ticket's topic to pass one to the student:
    { $names }
agent-faq-in-topic = Send /faq NAME in a ticket's topic: the answer goes to that ticket's student.
agent-faq-sent = The FAQ answer "{ $name }" was sent to the student.
ticket-why-asked = The student asked for a person
ticket-why-three-failures = The same step failed three times in a row
ticket-why-code-locked = Too many wrong codes; the step is locked
ticket-why-id-review = The student sent photos of themself holding the ID card, front and back (in this topic): check them, then approve or reject
ticket-why-status-check-failed = The student-status check failed three times
ticket-send-faq = 💬 Send the FAQ answer: { $question }
agent-inbox-on = 📥 Private inbox on: new tickets' cards come here too; press "take over" to work one from this chat (as with /take). Send /inbox off to stop.
agent-inbox-off = Private inbox off: new tickets' cards no longer come here.
agent-inbox-is-on = Private inbox: on, new tickets' cards come here too. Send /inbox off to stop.
agent-inbox-is-off = Private inbox: off. Send /inbox on and new tickets' cards come here too.
agent-inbox-usage = Usage: /inbox on turns the private inbox on, /inbox off turns it off, /inbox says which.
agent-inbox-refused = You are not an agent; the private inbox is for agents only.
agent-inbox-lost = You are no longer a member of an agents' group: your private inbox is off and no new tickets will come here.
agent-inbox-taken = Ticket #{ $ticket } is already taken or finished; there is nothing to take.
ticket-card-words = 💬 The student wrote:
    { $words }
