# Free text: answers when a student types a question instead of pressing a button.

intent-record-fix = ✏️ Correct my record
intent-understood = I understood: <b>{ $what }</b> (not it? send /menu)
intent-close = I am not sure what you mean. Is it one of these?
intent-none = 🙋 None of these — talk to a person
intent-unknown = Sorry, I did not understand your question. You can look at the <b>questions and answers</b> or ask a <b>person</b> for help (send /menu for the main menu).
intent-suggest = Did you mean: <b>{ $what }</b>? Press the button to go there, or keep typing to finish this step.
