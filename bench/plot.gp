# Loss and p99 latency against the number of calls, one line per system and
# mode, from bench/results/steps.csv (run by bench/run.sh:
# gnuplot -e "csv='...'; out='...'; series='sys,mode ...'; machine='...'").
set datafile separator ","
set terminal pngcairo size 1200,520 font ",10"
set output out
set multiplot layout 1,2 title "srtprelay calls per core: ".machine
set key top left
set grid
set logscale x 2
set xlabel "concurrent calls (N)"

# Columns: 1 system, 2 mode, 3 calls, 5 loss_pct, 7 p99_us.
sel(col) = (strcol(1).",".strcol(2) eq s) ? column(col) : NaN

set title "packet loss (%)"
set logscale y
set yrange [0.001:100]
set ylabel "loss % (0 drawn at 0.001)"
plot for [s in series] csv using 3:((v = sel(5)) != v ? NaN : (v < 0.001 ? 0.001 : v)) \
	smooth unique with linespoints title s, \
	0.1 with lines dashtype 2 lc rgb "black" title "0.1 % limit"

set key bottom right
set title "p99 latency through the relay (us)"
set yrange [10:200000]
set ylabel "p99 one-way latency, us"
plot for [s in series] csv using 3:(sel(7)) smooth unique with linespoints title s, \
	1000 with lines dashtype 2 lc rgb "black" title "1 ms limit"
unset multiplot
