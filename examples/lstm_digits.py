"""Many-to-one: an LSTM reads each 8x8 digit row by row and classifies it.

The notes' sequence chapter lists many-to-one architectures (a whole
sequence in, one label out, as in sentiment classification). Here the
sequence is an image: its 8 rows are 8 time steps of 8 features each. The
LSTM's last hidden state ``a<8>`` goes through a dense layer to 10 class
scores; Adam minimises the cross-entropy on mini-batches; the test accuracy
is reported after every epoch.

Run: python examples/lstm_digits.py [--epochs 20] [--hidden 64] [--seed 0]
Writes: lstm_digits.json
"""
from __future__ import annotations

import autograd as ag
import nn
import optim
from _util import Timer, accuracy, parser, setup, train_epoch, write_json


class RowLSTM(nn.Module):
    """(N, 8, 8) images -> (N, 10) logits from the LSTM's final hidden state."""

    def __init__(self, hidden: int, layers: int = 1):
        super().__init__()
        self.lstm = nn.LSTM(8, hidden, num_layers=layers, batch_first=True)
        self.fc = nn.Linear(hidden, 10)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)
        return self.fc(h_n[-1])  # the last layer's state after the last row


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0], epochs=20)
    p.add_argument("--hidden", type=int, default=64, help="LSTM hidden size")
    p.add_argument("--layers", type=int, default=1, help="stacked LSTM layers")
    p.add_argument("--lr", type=float, default=0.01, help="Adam learning rate")
    p.add_argument("--batch-size", type=int, default=64)
    args = p.parse_args(argv)
    out = setup(args)

    X, y = nn.datasets.load_digits()  # (N, 1, 8, 8), pixels in [0, 1]
    X = X.reshape(len(X), 8, 8)       # rows are the time steps
    X_tr, y_tr, X_te, y_te = nn.datasets.train_test_split(X, y, test_size=0.25,
                                                          seed=args.seed, stratify=True)
    print(f"{len(X_tr)} training and {len(X_te)} test digits, each a sequence of "
          f"8 rows x 8 pixels")
    model = RowLSTM(args.hidden, args.layers)
    print(model)
    opt = optim.Adam(model.parameters(), lr=args.lr)
    loader = nn.data.DataLoader(X_tr, y_tr, batch_size=args.batch_size, seed=args.seed)
    history = []
    with Timer() as timer:
        for epoch in range(1, args.epochs + 1):
            loss = train_epoch(model, loader, opt)
            model.eval()
            with ag.no_grad():
                train_acc = accuracy(model(ag.Tensor(X_tr)), y_tr)
                test_acc = accuracy(model(ag.Tensor(X_te)), y_te)
            history.append({"epoch": epoch, "loss": loss,
                            "train_accuracy": train_acc, "test_accuracy": test_acc})
            print(f"epoch {epoch:2d}  loss {loss:.4f}  train accuracy "
                  f"{train_acc:.3f}  test accuracy {test_acc:.3f}")
    print(f"test accuracy {test_acc:.3f} after {args.epochs} epochs ({timer.seconds:.1f} s)")
    summary = {"epochs": args.epochs, "hidden": args.hidden, "layers": args.layers,
               "lr": args.lr, "test_accuracy": test_acc, "seconds": timer.seconds,
               "history": history}
    write_json(out / "lstm_digits.json", summary)
    return summary


if __name__ == "__main__":
    main()
